// The cluster facts outputs.json is built from, read from the settled actual state (modules/kubernetes/outputs.tf).
import { NicError } from "../../cli/errors.ts";
import type { NebariConfig } from "../../config/model.ts";
import type { Actual } from "../../engine/types.ts";
import type { ClusterOutputs } from "../../outputs/types.ts";
import { CLUSTER, gcpBlock, SERVICE_ACCOUNT } from "./desired.ts";

export function gcpOutputs(config: NebariConfig, actual: Map<string, Actual>): ClusterOutputs {
  const gcp = gcpBlock(config);
  const cluster = actual.get(CLUSTER);
  if (!cluster) {
    throw new NicError("DEPLOY_FAILED", `There are no outputs: the GKE cluster (${CLUSTER}) does not exist.`, {
      recovery: ["Run `nic deploy` until it succeeds, then read the outputs again."],
    });
  }
  const c = cluster.attributes as Record<string, any>;
  return {
    cluster: {
      name: String(c.name),
      // GKE gives an address; Nebari's host is "https://${endpoint}".
      endpoint: c.endpoint ? `https://${c.endpoint}` : "",
      ca_certificate_pem: c.cluster_ca_certificate ? Buffer.from(String(c.cluster_ca_certificate), "base64").toString("utf8") : "",
      version: String(c.master_version ?? c.kubernetes_version ?? ""),
      oidc_issuer_url: `https://container.googleapis.com/v1/projects/${gcp.project}/locations/${c.location}/clusters/${c.name}`,
      arn: cluster.arn ?? cluster.id,
    },
    networking: { vpc_id: c.network ?? null, subnet_ids: c.subnetwork ? [c.subnetwork] : [], security_group_id: null },
    node_groups: gcp.node_groups.map((ng) => ({ name: ng.name, instance: ng.instance, min_nodes: ng.min_nodes, max_nodes: ng.max_nodes })),
    storage: { type: config.storage.type, nfs_endpoint: null, efs_id: null },
    iam: { oidc_provider_arn: "", cluster_autoscaler_role_arn: "", cluster_role_arn: "", node_role_arn: actual.get(SERVICE_ACCOUNT)?.id ?? "" },
  };
}
