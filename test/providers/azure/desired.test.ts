// desiredResources for Azure: Nebari's template/azure, field by field (pure, no sandbox). docs/audit/azure.md names these tests.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load.ts";
import type { Resource } from "../../../src/engine/types.ts";
import { desiredResources } from "../../../src/providers/azure/index.ts";

function config(block = "", project = "nic-demo") {
  const dir = mkdtempSync(join(tmpdir(), "nic-azure-config-"));
  writeFileSync(join(dir, "nebari-config.yaml"), `project_name: ${project}
namespace: dev
provider: azure
azure:
  region: Central US
  kubernetes_version: '1.33'
  storage_account_postfix: x7k2
${block}`);
  return loadConfig(join(dir, "nebari-config.yaml"), { env: {} }).config;
}
const find = (resources: Resource[], address: string) => {
  const r = resources.find((x) => x.address === address);
  if (!r) throw new Error(`${address} is not desired; have ${resources.map((x) => x.address).join(", ")}`);
  return r;
};

describe("names, as Nebari derives them", () => {
  const resources = desiredResources(config());
  test("resource groups keep the project name; the cluster and registry escape its dash (a2D)", () => {
    expect(find(resources, "azure/resource_group/main").attributes).toEqual({ name: "nic-demo-dev", location: "centralus", tags: {} });
    expect(find(resources, "azure/container_registry/main").attributes).toMatchObject({ name: "nica2Ddemodev", sku: "Standard", location: "centralus" });
    const cluster = find(resources, "azure/kubernetes_cluster/main").attributes;
    expect(cluster).toMatchObject({ name: "nica2Ddemo-dev", dns_prefix: "Nebari", node_resource_group: "nic-demo-dev-node-resource-group", sku_tier: "Free", identity: { type: "SystemAssigned" } });
  });
  test("without a dash nothing is escaped (its 'a's survive)", () => {
    const r = desiredResources(config("", "data"));
    expect(find(r, "azure/kubernetes_cluster/main").attributes.name).toBe("data-dev");
    expect(find(r, "azure/container_registry/main").attributes.name).toBe("datadev");
  });
  test("a named resource group is used for both groups", () => {
    const r = desiredResources(config("  resource_group_name: existing-rg\n"));
    expect(find(r, "azure/resource_group/main").attributes.name).toBe("existing-rg");
    expect(find(r, "azure/kubernetes_cluster/main").attributes.node_resource_group).toBe("existing-rg-node-resource-group");
  });
});

describe("node pools", () => {
  const groups = `  node_groups:
    worker: {instance: Standard_D4_v3, min_nodes: 0, max_nodes: 5}
    a100: {instance: Standard_NC24ads_A100_v4, min_nodes: 0, max_nodes: 2, taints: [{key: gpu, value: "true", effect: NoSchedule}]}
    general: {instance: Standard_D8_v3, min_nodes: 1, max_nodes: 1}
`;
  const resources = desiredResources(config(groups));
  test("the system pool is the alphabetically first group (Terraform iterates the map in key order), not the first written", () => {
    const pool = find(resources, "azure/kubernetes_cluster/main").attributes.default_node_pool;
    expect(pool).toEqual({
      name: "a100", vm_size: "Standard_NC24ads_A100_v4", auto_scaling_enabled: true, min_count: 0, max_count: 2,
      orchestrator_version: "1.33", node_labels: { "azure-node-pool": "a100" }, tags: {},
    });
    expect(resources.filter((r) => r.kind === "azure/kubernetes_cluster_node_pool").map((r) => r.attributes.name)).toEqual(["general", "worker"]);
  });
  test("User pools: autoscaling, labels, taints as key=value:Effect (the default taint on all but general)", () => {
    expect(find(resources, "azure/kubernetes_cluster_node_pool/worker").attributes).toMatchObject({
      mode: "User", auto_scaling_enabled: true, min_count: 0, max_count: 5, vm_size: "Standard_D4_v3",
      node_labels: { "azure-node-pool": "worker" }, node_taints: ["dedicated=nebari:NoSchedule"], orchestrator_version: "1.33",
    });
    expect(find(resources, "azure/kubernetes_cluster_node_pool/general").attributes.node_taints).toEqual([]);
  });
  test("pool operations share one serial queue and ignore what AKS owns (node count, upgrade settings)", () => {
    expect(find(resources, "azure/kubernetes_cluster_node_pool/worker").ignoreFields).toEqual(["node_count", "upgrade_settings", "upgrade_settings.*"]);
    expect(find(resources, "azure/kubernetes_cluster/main").ignoreFields).toContain("default_node_pool.upgrade_settings");
  });
  test("max_pods and vnet_subnet_id only when the config sets them (Nebari passes null: AKS's default)", () => {
    expect(find(resources, "azure/kubernetes_cluster_node_pool/worker").attributes).not.toHaveProperty("max_pods");
    const set = desiredResources(config(`${groups}  max_pods: 60\n  vnet_subnet_id: /subscriptions/s/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/v/subnets/x\n`));
    expect(find(set, "azure/kubernetes_cluster_node_pool/worker").attributes).toMatchObject({ max_pods: 60, vnet_subnet_id: expect.stringContaining("/subnets/x") });
    expect(find(set, "azure/kubernetes_cluster/main").attributes.default_node_pool).toMatchObject({ max_pods: 60 });
  });
});

describe("cluster options", () => {
  test("defaults: 0.0.0.0/0, no OIDC issuer, no workload identity, not private, no Azure Policy, no network profile", () => {
    const a = find(desiredResources(config()), "azure/kubernetes_cluster/main").attributes;
    expect(a).toMatchObject({ api_server_access_profile: { authorized_ip_ranges: ["0.0.0.0/0"] }, oidc_issuer_enabled: false, workload_identity_enabled: false, private_cluster_enabled: false, azure_policy_enabled: false });
    expect(a).not.toHaveProperty("network_profile");
  });
  test("workload identity turns the OIDC issuer on too; a partial network profile keeps only its keys; tags everywhere", () => {
    const r = desiredResources(config(`  workload_identity_enabled: true
  azure_policy_enabled: true
  network_profile: {network_plugin: azure, network_policy: calico}
  tags: {team: data}
`));
    const a = find(r, "azure/kubernetes_cluster/main").attributes;
    expect(a).toMatchObject({ oidc_issuer_enabled: true, workload_identity_enabled: true, azure_policy_enabled: true, network_profile: { network_plugin: "azure", network_policy: "calico" }, tags: { team: "data" } });
    expect(Object.keys(a.network_profile as object)).toEqual(["network_plugin", "network_policy"]);
    for (const x of r) expect(x.attributes.tags).toEqual({ team: "data" });
  });
});
