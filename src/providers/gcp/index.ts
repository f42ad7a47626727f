// The GCP provider: Nebari stage 02 on GKE as desired resources, the kinds that reconcile them, outputs and tokens.
import type { ResourceKind } from "../../engine/types.ts";
import type { GcpClients } from "./clients.ts";
import { artifactRegistryRepositoryKind } from "./kinds/artifact-registry-repository.ts";
import { containerClusterKind } from "./kinds/container-cluster.ts";
import { containerNodePoolKind } from "./kinds/container-node-pool.ts";
import { projectIamMemberKind } from "./kinds/project-iam-member.ts";
import { serviceAccountKind } from "./kinds/service-account.ts";

export { gcpClients, tokenSource } from "./clients.ts";
export { desiredResources } from "./desired.ts";
export { gcpRetryClassifier } from "./errors.ts";
export { gcpOutputs } from "./outputs.ts";
export { withZones } from "./zones.ts";

export function gcpKinds(gcp: GcpClients): ResourceKind[] {
  return [artifactRegistryRepositoryKind, serviceAccountKind, projectIamMemberKind, containerClusterKind, containerNodePoolKind].map((make) => make(gcp));
}
