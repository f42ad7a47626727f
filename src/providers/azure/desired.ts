// Nebari's Azure stage 02 (template/azure in nebari-dev/nebari, azurerm 4.7.0) as NIC Resources. Pure.
// Attribute names are azurerm's; docs/audit/azure.md maps every field to its upstream expression.
import type { AzureConfig, NebariConfig } from "../../config/model.ts";
import { azureResourceGroups } from "../../config/names.ts";
import { ref } from "../../engine/refs.ts";
import type { Resource } from "../../engine/types.ts";

export const RESOURCE_GROUP = "azure/resource_group/main";
export const REGISTRY = "azure/container_registry/main";
export const CLUSTER = "azure/kubernetes_cluster/main";
export const poolAddress = (name: string) => `azure/kubernetes_cluster_node_pool/${name}`;

/** "Central US" → "centralus": how ARM (and azurerm's state) spell a location. */
export const armLocation = (region: string) => region.toLowerCase().replaceAll(" ", "");

/**
 * Found still settling (a killed run's create), a resource plans as an update of provisioning_state that waits for it,
 * so nothing is built on it (stage 03 reads the cluster only once it is Succeeded).
 */
const SETTLED = { provisioning_state: "Succeeded" };

/** What AKS and its autoscaler own: node counts and surge settings (Terraform's ignore_changes on upgrade_settings). */
export const POOL_IGNORED = ["node_count", "upgrade_settings", "upgrade_settings.*"];

function azure(config: NebariConfig): AzureConfig {
  if (!config.azure) throw new Error("desiredResources: the configuration has no azure block");
  return config.azure;
}

/** Terraform iterates `var.node_groups` (a map) in key order: the first name is the default (system) pool. */
export function sortedGroups(config: NebariConfig) {
  return [...azure(config).node_groups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function names(config: NebariConfig) {
  const groups = azureResourceGroups(config.project_name, config.namespace, azure(config).resource_group_name);
  return {
    resourceGroup: groups.main,
    nodeResourceGroup: groups.node,
    cluster: config.cluster_name,
    registry: `${config.escaped_project_name}${config.namespace}`,
  };
}

/** The optional network_profile block: only the keys the config sets (Nebari's null checks). */
function networkProfile(profile: Record<string, string> | null) {
  if (!profile) return undefined;
  const keys = ["network_plugin", "network_policy", "service_cidr", "dns_service_ip"] as const;
  return Object.fromEntries(keys.filter((k) => profile[k] != null).map((k) => [k, profile[k]]));
}

export function desiredResources(config: NebariConfig): Resource[] {
  const az = azure(config);
  const n = names(config);
  const location = armLocation(az.region);
  const tags = az.tags;
  const [system, ...user] = sortedGroups(config);
  if (!system) throw new Error("desiredResources: Azure needs at least one node group");
  const optional = { ...(az.max_pods != null ? { max_pods: az.max_pods } : {}), ...(az.vnet_subnet_id ? { vnet_subnet_id: az.vnet_subnet_id } : {}) };
  const network = networkProfile(az.network_profile);

  const resourceGroup: Resource = {
    address: RESOURCE_GROUP,
    kind: "azure/resource_group",
    attributes: { name: n.resourceGroup, location, tags },
    immutableFields: ["name", "location"],
    protected: true,
  };
  const registry: Resource = {
    address: REGISTRY,
    kind: "azure/container_registry",
    attributes: { name: n.registry, resource_group_name: ref(RESOURCE_GROUP, "name"), location, sku: "Standard", tags, ...SETTLED },
    immutableFields: ["name", "resource_group_name", "location"],
  };
  const cluster: Resource = {
    address: CLUSTER,
    kind: "azure/kubernetes_cluster",
    attributes: {
      name: n.cluster,
      location,
      resource_group_name: ref(RESOURCE_GROUP, "name"),
      dns_prefix: "Nebari",
      kubernetes_version: az.kubernetes_version,
      node_resource_group: n.nodeResourceGroup,
      sku_tier: "Free",
      identity: { type: "SystemAssigned" },
      api_server_access_profile: { authorized_ip_ranges: [...az.authorized_ip_ranges].sort() },
      oidc_issuer_enabled: az.workload_identity_enabled,
      workload_identity_enabled: az.workload_identity_enabled,
      private_cluster_enabled: az.private_cluster_enabled,
      azure_policy_enabled: az.azure_policy_enabled ?? false,
      ...(network ? { network_profile: network } : {}),
      tags,
      default_node_pool: {
        name: system.name,
        vm_size: system.instance,
        auto_scaling_enabled: true,
        min_count: system.min_nodes,
        max_count: system.max_nodes,
        orchestrator_version: az.kubernetes_version,
        node_labels: { "azure-node-pool": system.name },
        tags,
        ...optional,
      },
      // No rotation's temporary pool left over (kinds/rotation.ts: a new name, vm size, subnet or max pods rotates the pool).
      temporary_node_pool: null,
      ...SETTLED,
    },
    protected: true,
    immutableFields: ["name", "location", "resource_group_name", "dns_prefix", "node_resource_group", "identity", "private_cluster_enabled", "network_profile"],
    ignoreFields: POOL_IGNORED.map((f) => `default_node_pool.${f}`),
  };
  const pools: Resource[] = user.map((group) => ({
    address: poolAddress(group.name),
    kind: "azure/kubernetes_cluster_node_pool",
    attributes: {
      name: group.name,
      kubernetes_cluster_id: ref(CLUSTER, "id"),
      vm_size: group.instance,
      auto_scaling_enabled: true,
      mode: "User",
      min_count: group.min_nodes,
      max_count: group.max_nodes,
      node_labels: { "azure-node-pool": group.name },
      // Nebari formats taints in Python: a taint without a value becomes `key=None:Effect`.
      node_taints: group.taints.map((t) => `${t.key}=${t.value ?? "None"}:${t.effect}`),
      orchestrator_version: az.kubernetes_version,
      tags,
      ...optional,
      ...SETTLED,
    },
    immutableFields: ["name", "kubernetes_cluster_id", "vm_size", "vnet_subnet_id", "max_pods"],
    ignoreFields: POOL_IGNORED,
  }));
  return [resourceGroup, registry, cluster, ...pools];
}
