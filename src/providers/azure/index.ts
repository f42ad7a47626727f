// The Azure provider: Nebari's stage 02 on AKS (see README.md).
export { azureClients, type AzureClients } from "./clients.ts";
export { clusterCredentials, type AksCredentials } from "./credentials.ts";
export { CLUSTER, desiredResources, names, poolAddress, REGISTRY, RESOURCE_GROUP, sortedGroups } from "./desired.ts";
export { azureRetryClassifier } from "./errors.ts";
export { azureOutputs, azureOutputsDocument } from "./outputs.ts";
import type { NebariConfig } from "../../config/model.ts";
import type { ResourceKind } from "../../engine/types.ts";
import type { AzureClients } from "./clients.ts";
import { names } from "./desired.ts";
import { clusterKind } from "./kinds/cluster.ts";
import { nodePoolKind } from "./kinds/node-pool.ts";
import { registryKind } from "./kinds/registry.ts";
import { resourceGroupKind } from "./kinds/resource-group.ts";

export function azureKinds(config: NebariConfig, azure: AzureClients): ResourceKind[] {
  const n = names(config);
  return [
    resourceGroupKind(azure, { adoptable: Boolean(config.azure?.resource_group_name) }),
    registryKind(azure, { resourceGroup: n.resourceGroup, registry: n.registry }),
    clusterKind(azure, { resourceGroup: n.resourceGroup, cluster: n.cluster }),
    nodePoolKind(azure, { resourceGroup: n.resourceGroup, cluster: n.cluster }),
  ];
}
