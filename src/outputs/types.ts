// What a provider reports about the cluster it reconciled; outputs.json and the kubeconfig are built from it.

export interface ClusterOutputs {
  cluster: { name: string; endpoint: string; ca_certificate_pem: string; version: string; oidc_issuer_url: string; arn: string };
  networking: { vpc_id: string | null; subnet_ids: string[]; security_group_id: string | null };
  node_groups: { name: string; instance: string; min_nodes: number; max_nodes: number }[];
  storage: { type: string; nfs_endpoint: string | null; efs_id: string | null };
  iam: { oidc_provider_arn: string; cluster_autoscaler_role_arn: string; cluster_role_arn: string; node_role_arn: string };
}

/** How the kubeconfig's user gets a token: an exec credential that runs `nic kubeconfig token`, so it never expires. */
export interface ExecCredential {
  command: string;
  args: string[];
  env?: { name: string; value: string }[];
}
