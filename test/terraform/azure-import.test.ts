// nic import --from-terraform on Azure: a Terraform-shaped azurerm state (Nebari's stage-02 addresses, one pool still in
// azurerm 3.x spelling) for a deployment that exists on the ARM sandbox; NIC verifies each resource by its ARM id and the
// next deploy has nothing to change. The compiled binary, as a user would run it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { CLUSTER_ID, terraformState } from "./azure-tfstate.ts";

const CONFIG = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8");
let sandbox: Sandbox;
let dir: string;

const nic = async (...args: string[]) => {
  const r = await nicAsync([...args, "-f", "nebari-config.yaml", "--format", "json"], { ...sandbox.env, HOME: dir }, dir);
  if (!r.stdout.startsWith("{")) throw new Error(`nic ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return { code: r.code, doc: JSON.parse(r.stdout), stderr: r.stderr };
};

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
