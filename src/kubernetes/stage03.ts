// Nebari stage 03 (03-kubernetes-initialize) as engine Resources: pure, from the config and stage 02's outputs.
import type { NebariConfig } from "../config/model.ts";
import type { Address, Ref, Resource } from "../engine/types.ts";
import { clusterAutoscaler } from "./autoscaler.ts";
import { EXTCR_SECRET, extcrSecretData, externalContainerRegistry, type SecretData } from "./extcr.ts";
import { awsDevicePlugin, gcpDriverInstaller } from "./gpu.ts";
import { addressOf, object } from "./objects.ts";
import { traefikCrds } from "./traefik-crds.ts";

export interface Stage03Inputs {
  /**
   * Stage 02's `cluster_autoscaler_role_arn` (AWS); Nebari passes "" when it is missing. A ref to the role makes the
   * ServiceAccount wait for it in the one graph, and the plan show it as known after apply.
   */
  clusterAutoscalerRoleArn?: string | Ref;
  /** Defaults to the AWS block's region. */
  region?: string;
}

export function stage03Resources(config: NebariConfig, inputs: Stage03Inputs = {}): Resource[] {
  const { namespace } = config;
  const namespaceResource = object("Namespace", namespace, {}, { protected: true });
  const namespaceAddress = namespaceResource.address;
  const resources = [namespaceResource];

  const aws = config.provider === "aws" ? config.amazon_web_services : undefined;
  if (aws) {
    resources.push(...clusterAutoscaler({
      namespace,
      clusterName: `${config.project_name}-${namespace}`,
      region: inputs.region ?? aws.region,
      roleArn: inputs.clusterAutoscalerRoleArn ?? "",
      namespaceAddress,
    }));
  }
  resources.push(...traefikCrds());

  const gpuGroups = aws?.node_groups.filter((g) => g.gpu).map((g) => g.name) ?? [];
  if (gpuGroups.length) resources.push(awsDevicePlugin(gpuGroups));
  const gcp = config.provider === "gcp" ? config.google_cloud_platform : undefined;
  if (gcp?.node_groups.some((g) => g.guest_accelerators.length > 0)) resources.push(gcpDriverInstaller());

  const registry = stage03Secrets(config).get(registrySecretAddress(namespace));
  if (registry) resources.push(...externalContainerRegistry(namespace, registry, namespaceAddress));
  return resources;
}

const registrySecretAddress = (namespace: string): Address => addressOf("Secret", namespace, EXTCR_SECRET);

/**
 * The data of the secrets stage 03 wants, by address. It never enters attributes, state or plans (they hold a hash);
 * pass it to kubernetesKinds({ secrets }) so creates and updates can send it.
 */
export function stage03Secrets(config: NebariConfig): Map<Address, SecretData> {
  const r = config.external_container_reg;
  if (!r.enabled) return new Map();
  const data = extcrSecretData({
    access_key_id: r.access_key_id ?? "",
    secret_access_key: r.secret_access_key ?? "",
    extcr_account: r.extcr_account ?? "",
    extcr_region: r.extcr_region ?? "",
  });
  return new Map([[registrySecretAddress(config.namespace), data]]);
}
