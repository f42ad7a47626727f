// nic import --from-terraform on Azure: a Terraform-shaped azurerm state (Nebari's stage-02 addresses, one pool still in
// azurerm 3.x spelling) for a deployment that exists on the ARM sandbox; NIC verifies each resource by its ARM id and the
// next deploy has nothing to change. The compiled binary, as a user would run it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const CONFIG = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8");
const SUB = "/subscriptions/00000000-0000-0000-0000-00000000cafe";
const GROUP_ID = `${SUB}/resourceGroups/nic-demo-dev`;
const CLUSTER_ID = `${GROUP_ID}/providers/Microsoft.ContainerService/managedClusters/nica2Ddemo-dev`;
let sandbox: Sandbox;
let dir: string;

const nic = async (...args: string[]) => {
  const r = await nicAsync([...args, "-f", "nebari-config.yaml", "--format", "json"], { ...sandbox.env, HOME: dir }, dir);
  if (!r.stdout.startsWith("{")) throw new Error(`nic ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return { code: r.code, doc: JSON.parse(r.stdout), stderr: r.stderr };
};

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
function terraformState(credentials: Record<string, string>) {
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

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, aksClusterDelete: 100, aksPoolDelete: 100, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never });
  dir = tempDir("nic-azure-import-");
  writeFileSync(join(dir, "nebari-config.yaml"), CONFIG);
  // The deployment exists (made here by NIC); its NIC state is then thrown away, as if Terraform had made it.
  const made = await nic("deploy");
  expect(made.code, made.stderr).toBe(0);
  const credentials = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/outputs.json"), "utf8")).kubernetes_credentials.value;
  rmSync(join(dir, ".nebari"), { recursive: true });
  writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(terraformState(credentials)));
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
});

test("import maps every azurerm address, verifies each by its ARM id, and the next deploy changes nothing", async () => {
  const check = await nic("import", "--from-terraform", "--terraform-state-02", "terraform.tfstate", "--validate-only");
  expect(check.code, JSON.stringify(check.doc)).toBe(0);
  expect(check.doc).toMatchObject({ success: true, ready: true, skipped: ["local_file.kubeconfig[0]"] });
  expect(check.doc.cloud.found.map((m: { address: string }) => m.address).sort()).toEqual([
    "azure/container_registry/main", "azure/kubernetes_cluster/main", "azure/kubernetes_cluster_node_pool/user", "azure/kubernetes_cluster_node_pool/worker", "azure/resource_group/main",
  ]);
  expect(check.doc.cloud).toMatchObject({ missing: [], not_in_terraform: [], unmanaged: [], changes: [] });
  expect(check.doc.configuration_match.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);

  const imported = await nic("import", "--from-terraform", "--terraform-state-02", "terraform.tfstate");
  expect(imported.code, JSON.stringify(imported.doc)).toBe(0);
  const state = JSON.parse(readFileSync(imported.doc.written.state, "utf8"));
  expect(state.resources["azure/kubernetes_cluster/main"]).toMatchObject({ provider_id: CLUSTER_ID, imported_from_terraform: true });
  expect(state.resources["azure/kubernetes_cluster_node_pool/worker"].provider_id).toBe(`${CLUSTER_ID}/agentPools/worker`);
  const outputs = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/outputs.json"), "utf8"));
  expect(outputs.resource_group_name.value).toBe("nic-demo-dev");
  expect(outputs.kubernetes_credentials.value.client_certificate).toStartWith("-----BEGIN CERTIFICATE-----");

  const dryRun = await nic("deploy", "--dry-run", "--detailed-exitcode");
  expect(dryRun.code, JSON.stringify(dryRun.doc.phases?.cloud?.plan ?? dryRun.doc)).toBe(0);
  const drift = await nic("drift", "detect", "--detailed-exitcode");
  expect({ code: drift.code, has_drift: drift.doc.has_drift }).toEqual({ code: 0, has_drift: false });

  const destroyed = await nic("destroy", "--yes");
  expect(destroyed.code, destroyed.stderr).toBe(0);
  const inventory = (await (await fetch(`${sandbox.controlEndpoint}/inventory`)).json()) as { resources: { type: string }[] };
  expect(inventory.resources.filter((r) => r.type.startsWith("azure:"))).toEqual([]);
}, 180_000);
