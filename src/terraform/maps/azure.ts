// Nebari's Azure stage 02 Terraform addresses (nebari-stages.md §2.3) → NIC's `azure/…` addresses. Ids are ARM ids.
// States written by azurerm 3.x (Nebari before 2025.2.1) spell some attributes the 3.x way; they are read under the 4.x names.
import { block, num, single, str, type Rule, type RuleTable } from "../map.ts";

/** azurerm 3.x attribute → its 4.x name, for the attributes NIC reads. */
export const AZURERM_V4_NAMES: Record<string, string> = {
  enable_auto_scaling: "auto_scaling_enabled",
  enable_node_public_ip: "node_public_ip_enabled",
  enable_host_encryption: "host_encryption_enabled",
  enable_https_traffic_only: "https_traffic_only_enabled",
};

/** The attributes under their azurerm 4.x names; a 4.x name already present wins. */
export function azurermV4(attributes: Record<string, unknown>): Record<string, unknown> {
  const out = { ...attributes };
  for (const [old, current] of Object.entries(AZURERM_V4_NAMES)) {
    if (old in attributes && !(current in attributes && attributes[current] !== null)) out[current] = attributes[old];
    delete out[old];
  }
  return out;
}

function pool(a: Record<string, unknown>) {
  const p = azurermV4(a);
  return { name: str(p, "name"), instance: str(p, "vm_size") || undefined, min: num(p.min_count), max: num(p.max_count) };
}

const cluster: Rule = ({ attributes }) => ({
  address: "azure/kubernetes_cluster/main",
  id: str(attributes, "id"),
  facts: { kubernetes_version: str(attributes, "kubernetes_version"), node_groups: [pool(block(attributes, "default_node_pool"))] },
});

const nodePool: Rule = ({ attributes }) => {
  const p = pool(attributes);
  return { address: `azure/kubernetes_cluster_node_pool/${p.name}`, id: str(attributes, "id"), facts: { node_groups: [p] } };
};

export const AZURE_RULES: RuleTable = {
  rules: {
    "azurerm_resource_group.resource_group": single("azure/resource_group/main"),
    "module.registry.azurerm_container_registry.container_registry": single("azure/container_registry/main"),
    "module.kubernetes.azurerm_kubernetes_cluster.main": cluster,
    "module.kubernetes.azurerm_kubernetes_cluster_node_pool.*": nodePool,
  },
};
