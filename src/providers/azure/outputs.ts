// What Nebari's later stages read from an Azure stage 02 (template/azure/outputs.tf): kubernetes_credentials from the
// cluster's user credentials (decoded PEM), kubeconfig_filename (AKS's kubeconfig, as local_file.kubeconfig writes it),
// cluster_oidc_issuer_url, resource_group_name; node_selectors keyed azure-node-pool. Plus NIC's unified document.
import type { NebariConfig } from "../../config/model.ts";
import type { Actual, Address } from "../../engine/types.ts";
import { buildOutputs } from "../../outputs/outputs.ts";
import type { ClusterOutputs } from "../../outputs/types.ts";
import type { AksCredentials } from "./credentials.ts";
import { CLUSTER, names, sortedGroups } from "./desired.ts";

export function azureOutputs(config: NebariConfig, actual: Map<Address, Actual>): ClusterOutputs {
  const cluster = actual.get(CLUSTER);
  const a = cluster?.attributes ?? {};
  const subnet = config.azure?.vnet_subnet_id;
  return {
    cluster: {
      name: String(a.name ?? config.cluster_name),
      endpoint: a.fqdn ? `https://${a.fqdn}:443` : "",
      ca_certificate_pem: "",
      version: String(a.current_kubernetes_version ?? a.kubernetes_version ?? config.azure?.kubernetes_version ?? ""),
      oidc_issuer_url: String(a.oidc_issuer_url ?? ""),
      arn: cluster?.id ?? "",
    },
    networking: { vpc_id: null, subnet_ids: subnet ? [subnet] : [], security_group_id: null },
    node_groups: sortedGroups(config).map((g) => ({ name: g.name, instance: g.instance, min_nodes: g.min_nodes, max_nodes: g.max_nodes })),
    storage: { type: config.storage.type, nfs_endpoint: null, efs_id: null },
    iam: { oidc_provider_arn: "", cluster_autoscaler_role_arn: "", cluster_role_arn: "", node_role_arn: "" },
  };
}

/** outputs.json for Azure: the unified document with the cluster's real endpoint and CA, and Nebari's Azure keys. */
export function azureOutputsDocument(config: NebariConfig, actual: Map<Address, Actual>, credentials: AksCredentials, kubeconfigPath: string) {
  const cluster = azureOutputs(config, actual);
  cluster.cluster.endpoint = credentials.host;
  cluster.cluster.ca_certificate_pem = credentials.cluster_ca_certificate;
  const namespaces = [...actual.keys()].filter((address) => address.startsWith("k8s/namespace/")).map((address) => address.split("/").pop()!);
  const { nfs_endpoint: _nfs, oidc_provider_arn: _oidc, cluster_autoscaler_role_arn: _autoscaler, kubernetes_credentials: _aws, ...document } =
    buildOutputs({ config, cluster, kubeconfigPath, token: "", namespaces });
  const { kubeconfig: _raw, ...kubernetesCredentials } = credentials;
  const groupName = String(actual.get(CLUSTER)?.attributes.resource_group_name ?? names(config).resourceGroup);
  return {
    ...document,
    kubernetes_credentials: { value: kubernetesCredentials },
    cluster_oidc_issuer_url: { value: cluster.cluster.oidc_issuer_url },
    resource_group_name: { value: groupName },
  };
}
