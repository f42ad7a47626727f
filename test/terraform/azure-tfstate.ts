// A Terraform-shaped azurerm state of Nebari's stage 02 for the demo-azure deployment (azurerm 4.7.0, one pool in 3.x
// spelling), read by the import tests from a file and from Nebari's Azure state container.
const SUB = "/subscriptions/00000000-0000-0000-0000-00000000cafe";
const GROUP_ID = `${SUB}/resourceGroups/nic-demo-dev`;
export const CLUSTER_ID = `${GROUP_ID}/providers/Microsoft.ContainerService/managedClusters/nica2Ddemo-dev`;

const resource = (type: string, name: string, attributes: object, extra: object = {}) => ({
  mode: "managed", type, name, provider: 'provider["registry.terraform.io/hashicorp/azurerm"]', ...extra,
  instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
});
const pool = (key: string, name: string, autoscale: object) => ({
  ...resource("azurerm_kubernetes_cluster_node_pool", "node_group", {}, { module: "module.kubernetes" }),
  instances: [{ index_key: key, schema_version: 1, sensitive_attributes: [], attributes: {
    id: `${CLUSTER_ID}/agentPools/${name}`, name, kubernetes_cluster_id: CLUSTER_ID, vm_size: "Standard_D4_v3", mode: "User", min_count: 0, max_count: 5,
    node_labels: { "azure-node-pool": name }, node_taints: ["dedicated=nebari:NoSchedule"], orchestrator_version: "1.33", tags: { team: "data-platform" }, ...autoscale,
  } }],
});

/** What azurerm 4.7.0 (and, for one pool, 3.x) would have recorded for Nebari's stage 02. */
export function terraformState(credentials: Record<string, string>) {
  return {
    version: 4, terraform_version: "1.11.4", serial: 12, lineage: "6f1c2f0e-8d2b-4c77-9a41-0b7e6f1a2c3d",
    outputs: {
      kubernetes_credentials: { value: credentials, type: ["object", {}], sensitive: true },
      kubeconfig_filename: { value: "/tmp/NEBARI_KUBECONFIG", type: "string" },
      cluster_oidc_issuer_url: { value: "", type: "string" },
      resource_group_name: { value: "nic-demo-dev", type: "string" },
    },
    resources: [
      resource("azurerm_resource_group", "resource_group", { id: GROUP_ID, name: "nic-demo-dev", location: "centralus", tags: { team: "data-platform" }, managed_by: "" }),
      resource("azurerm_container_registry", "container_registry", {
        id: `${GROUP_ID}/providers/Microsoft.ContainerRegistry/registries/nica2Ddemodev`, name: "nica2Ddemodev", resource_group_name: "nic-demo-dev",
        location: "centralus", sku: "Standard", admin_enabled: false, login_server: "nica2ddemodev.azurecr.io", tags: { team: "data-platform" },
      }, { module: "module.registry" }),
      resource("azurerm_kubernetes_cluster", "main", {
        id: CLUSTER_ID, name: "nica2Ddemo-dev", location: "centralus", resource_group_name: "nic-demo-dev", dns_prefix: "Nebari", kubernetes_version: "1.33",
        node_resource_group: "nic-demo-dev-node-resource-group", sku_tier: "Free", oidc_issuer_enabled: false, oidc_issuer_url: "", private_cluster_enabled: false,
        identity: [{ type: "SystemAssigned" }], api_server_access_profile: [{ authorized_ip_ranges: ["0.0.0.0/0"] }], tags: { team: "data-platform" },
        default_node_pool: [{ name: "general", vm_size: "Standard_D8_v3", auto_scaling_enabled: true, min_count: 1, max_count: 1, node_labels: { "azure-node-pool": "general" }, temporary_name_for_rotation: "generaltmp" }],
      }, { module: "module.kubernetes" }),
      pool("1", "user", { auto_scaling_enabled: true }),
      pool("2", "worker", { enable_auto_scaling: true }), // azurerm 3.x spelling (Nebari before 2025.2.1)
      { mode: "managed", type: "local_file", name: "kubeconfig", provider: 'provider["registry.terraform.io/hashicorp/local"]', instances: [{ index_key: 0, schema_version: 0, attributes: { filename: "/tmp/NEBARI_KUBECONFIG" } }] },
    ],
  };
}
