// The cluster facts NIC's outputs.json is built from, read from the settled actual state.
import { NicError } from "../../cli/errors.ts";
import type { NebariConfig } from "../../config/model.ts";
import type { Actual } from "../../engine/types.ts";
import type { ClusterOutputs } from "../../outputs/types.ts";

export type { ClusterOutputs };

export function awsOutputs(config: NebariConfig, actual: Map<string, Actual>): ClusterOutputs {
  const cluster = actual.get("aws/eks_cluster/main");
  if (!cluster) {
    throw new NicError("DEPLOY_FAILED", "There are no outputs: the EKS cluster (aws/eks_cluster/main) does not exist.", {
      recovery: ["Run `nic deploy` until it succeeds, then read the outputs again."],
    });
  }
  const c = cluster.attributes as Record<string, any>;
  const efs = actual.get("aws/efs_file_system/main");
  const arn = (address: string) => actual.get(address)?.arn ?? "";
  return {
    cluster: {
      name: cluster.id,
      endpoint: c.endpoint ?? "",
      ca_certificate_pem: c.certificate_authority ? Buffer.from(String(c.certificate_authority), "base64").toString("utf8") : "",
      version: c.version ?? "",
      oidc_issuer_url: c.oidc_issuer ?? "",
      arn: cluster.arn ?? "",
    },
    networking: {
      vpc_id: actual.get("aws/vpc/main")?.id ?? c.vpc_id ?? null,
      subnet_ids: c.vpc_config?.subnet_ids ?? [],
      security_group_id: c.vpc_config?.security_group_ids?.[0] ?? null,
    },
    node_groups: (config.amazon_web_services?.node_groups ?? []).map((ng) => ({ name: ng.name, instance: ng.instance, min_nodes: ng.min_nodes, max_nodes: ng.max_nodes })),
    storage: {
      type: config.storage.type,
      nfs_endpoint: efs ? String(efs.attributes.dns_name) : null,
      efs_id: efs?.id ?? null,
    },
    iam: {
      oidc_provider_arn: arn("aws/iam_openid_connect_provider/main"),
      cluster_autoscaler_role_arn: arn("aws/iam_role/cluster_autoscaler"),
      cluster_role_arn: arn("aws/iam_role/cluster"),
      node_role_arn: arn("aws/iam_role/node_group"),
    },
  };
}
