// The normalised configuration NIC works from: Nebari's key names, every default filled in, aliases resolved.
import type { ProviderName } from "./providers.ts";

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";
export interface Taint {
  key: string;
  value: string | null;
  effect: TaintEffect;
}

export interface NodeGroup {
  name: string;
  instance: string;
  min_nodes: number;
  max_nodes: number;
  taints: Taint[];
}
export interface AwsNodeGroup extends NodeGroup {
  gpu: boolean;
  single_subnet: boolean;
  spot: boolean;
  permissions_boundary: string | null;
  /** NIC extension (design document): EKS disk size in GiB; Nebari always uses 50. */
  disk_size: number | null;
  /** NIC extension: extra node labels besides Nebari's `dedicated=<name>`. */
  labels: Record<string, string>;
}
export interface GcpNodeGroup extends NodeGroup {
  preemptible: boolean;
  labels: Record<string, string>;
  guest_accelerators: { name: string; count: number }[];
}
export type AzureNodeGroup = NodeGroup;

export interface AwsConfig {
  region: string;
  /** What the file asked for; null means "latest". */
  kubernetes_version_requested: string | null;
  kubernetes_version: string;
  availability_zones: string[] | null;
  node_groups: AwsNodeGroup[];
  eks_endpoint_access: "private" | "public" | "public_and_private";
  eks_public_access_cidrs: string[];
  eks_kms_arn: string | null;
  existing_subnet_ids: string[] | null;
  existing_security_group_id: string | null;
  vpc_cidr_block: string;
  permissions_boundary: string | null;
  tags: Record<string, string>;
}

export interface GcpConfig {
  region: string;
  project: string;
  kubernetes_version: string;
  availability_zones: string[];
  release_channel: string;
  node_groups: GcpNodeGroup[];
  tags: string[];
  networking_mode: string;
  network: string;
  subnetwork: string | null;
  ip_allocation_policy: Record<string, string> | null;
  master_authorized_networks_config: { cidr_block: string; display_name: string } | null;
  private_cluster_config: { enable_private_nodes: boolean; enable_private_endpoint: boolean; master_ipv4_cidr_block: string } | null;
}

export interface AzureConfig {
  region: string;
  kubernetes_version_requested: string | null;
  kubernetes_version: string;
  storage_account_postfix: string | null;
  authorized_ip_ranges: string[];
  resource_group_name: string | null;
  node_groups: AzureNodeGroup[];
  vnet_subnet_id: string | null;
  private_cluster_enabled: boolean;
  tags: Record<string, string>;
  network_profile: Record<string, string> | null;
  max_pods: number | null;
  workload_identity_enabled: boolean;
  azure_policy_enabled: boolean | null;
}

export interface KubeContextConfig {
  kube_context: string | null;
  node_selectors: Record<string, { key: string; value: string }>;
}

export type StorageType = "nfs" | "cephfs" | "efs";

export interface NebariConfig {
  project_name: string;
  namespace: string;
  provider: ProviderName;
  nebari_version: string | null;
  prevent_deploy: boolean;
  escaped_project_name: string;
  cluster_name: string;
  storage: { type: StorageType; conda_store: string; shared_filesystem: string };
  terraform_state: { type: "remote" | "local" | "existing"; backend: string | null; config: Record<string, string> };
  external_container_reg: {
    enabled: boolean;
    access_key_id: string | null;
    secret_access_key: string | null;
    extcr_account: string | null;
    extcr_region: string | null;
  };
  amazon_web_services?: AwsConfig;
  google_cloud_platform?: GcpConfig;
  azure?: AzureConfig;
  local?: KubeContextConfig;
  existing?: KubeContextConfig;
}

/** Something the file says that NIC maps or extends, reported in the summary (not a problem). */
export interface Note {
  path: string;
  message: string;
}
