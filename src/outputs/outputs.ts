// outputs.json: the design document's unified document (§7.4) plus the keys Nebari's later stages read from stage 02,
// in Terraform's `{"value": …}` shape (nebari-stages.md §3), and `node_selectors` as a plain map.
import type { NebariConfig } from "../config/model.ts";
import type { ClusterOutputs } from "./types.ts";

export const OUTPUTS_FORMAT_VERSION = "1.0";

/** The node-selector label per cloud; local/existing use the config's node_selectors. */
const NODE_SELECTOR_LABEL: Record<string, string> = {
  aws: "eks.amazonaws.com/nodegroup",
  gcp: "cloud.google.com/gke-nodepool",
  azure: "azure-node-pool",
};

export interface OutputInputs {
  config: NebariConfig;
  cluster: ClusterOutputs;
  kubeconfigPath: string;
  /** A fresh bearer token for Nebari's KUBE_* variables (kubernetes_credentials). */
  token: string;
  namespaces: string[];
}

export function buildOutputs({ config, cluster, kubeconfigPath, token, namespaces }: OutputInputs) {
  const c = cluster.cluster;
  return {
    format_version: OUTPUTS_FORMAT_VERSION,
    provider: config.provider,
    cluster: {
      name: c.name,
      endpoint: c.endpoint,
      ca_certificate: Buffer.from(c.ca_certificate_pem).toString("base64"),
      kubernetes_version: c.version,
      oidc_issuer: c.oidc_issuer_url,
      arn: known(c.arn),
    },
    networking: {
      vpc_id: cluster.networking.vpc_id,
      vpc_cidr: config.amazon_web_services?.vpc_cidr_block ?? null,
      subnet_ids: cluster.networking.subnet_ids,
      security_group_ids: cluster.networking.security_group_id ? [cluster.networking.security_group_id] : [],
    },
    kubeconfig: { path: kubeconfigPath, context: c.name },
    kubernetes: {
      namespaces,
      service_accounts: cluster.iam.cluster_autoscaler_role_arn ? { "cluster-autoscaler": cluster.iam.cluster_autoscaler_role_arn } : {},
    },
    node_groups: Object.fromEntries(cluster.node_groups.map((g) => [g.name, { instance_type: g.instance, min_size: g.min_nodes, max_size: g.max_nodes }])),
    storage: { type: config.storage.type, nfs_endpoint: cluster.storage.nfs_endpoint, efs_id: cluster.storage.efs_id },
    iam: {
      cluster_role_arn: known(cluster.iam.cluster_role_arn),
      node_role_arn: known(cluster.iam.node_role_arn),
      oidc_provider_arn: known(cluster.iam.oidc_provider_arn),
    },

    // Nebari's stage-02 outputs, exactly those of the provider's template/<p>/outputs.tf, read by stages 03+
    // (`stage_outputs["stages/02-infrastructure"][key]["value"]`).
    kubernetes_credentials: { value: { host: c.endpoint, cluster_ca_certificate: c.ca_certificate_pem, token } },
    kubeconfig_filename: { value: kubeconfigPath },
    ...(config.provider === "aws" && { nfs_endpoint: { value: cluster.storage.nfs_endpoint } }),
    cluster_oidc_issuer_url: { value: c.oidc_issuer_url },
    ...(config.provider === "aws" && {
      oidc_provider_arn: { value: cluster.iam.oidc_provider_arn },
      cluster_autoscaler_role_arn: { value: cluster.iam.cluster_autoscaler_role_arn },
    }),
    ...(config.google_cloud_platform && { project_id: { value: config.google_cloud_platform.project } }),
    node_selectors: nodeSelectors(config),
  };
}

/** The summary says null where a cloud has no such thing (an ARN on GCP, Azure, an existing cluster), never "". */
function known(value: string): string | null {
  return value === "" ? null : value;
}

/** Always general, user and worker, whichever node groups exist (as Nebari's _calculate_node_groups does). */
export function nodeSelectors(config: NebariConfig): Record<string, { key: string; value: string }> {
  const local = config.local ?? config.existing;
  if (local) return local.node_selectors;
  const key = NODE_SELECTOR_LABEL[config.provider]!;
  return Object.fromEntries(["general", "user", "worker"].map((name) => [name, { key, value: name }]));
}
