// An Azure deployment with its NIC state in Azure Blob Storage (azurite): deploy → 0 changes → drift (a change behind NIC's
// back) → fix → destroy to an empty sandbox and an empty state, every run leasing the state blob and releasing the lease.
// The compiled binary; the ARM sandbox serves the deployment.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { startAzurite } from "../state/emulators.ts";

const STATE_BLOB = "azure/dev/nic-state.json";
const STATE = `azblob://devstoreaccount1/nic-state/${STATE_BLOB}`;
const CLUSTER_ID = "/subscriptions/00000000-0000-0000-0000-00000000cafe/resourcegroups/nic-demo-dev/providers/microsoft.containerservice/managedclusters/nica2ddemo-dev";
let sandbox: Sandbox;
let azurite: Awaited<ReturnType<typeof startAzurite>>;
let container: ContainerClient;
let dir: string;
let config: string;

const nic = async (...args: string[]) => {
  const r = await nicAsync([...args, "-f", config, "--state", STATE, "--format", "json"], { ...sandbox.env, HOME: dir, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
  return { ...r, doc: r.stdout.startsWith("{") ? JSON.parse(r.stdout) : undefined };
};
/** The state as the blob holds it, and its lease (NIC holds one only while it runs). */
async function stateBlob() {
  const blob = container.getBlobClient(STATE_BLOB);
  const { leaseState } = await blob.getProperties();
  return { lease: leaseState, state: JSON.parse((await blob.downloadToBuffer()).toString()) };
}
const azureInventory = async () =>
  ((await (await fetch(`${sandbox.controlEndpoint}/inventory`)).json()) as { resources: { type: string }[] }).resources.filter((r) => r.type.startsWith("azure:"));

beforeAll(async () => {
  [sandbox, azurite] = await Promise.all([
    startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, aksClusterDelete: 100, aksPoolDelete: 100, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never }),
    startAzurite(),
  ]);
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("nic-state");
  await container.create();
  dir = tempDir("nic-azure-remote-state-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8"));
});

afterAll(async () => {
  await Promise.all([sandbox?.stop(), azurite?.stop()]);
});

test("deploy records the Azure resources in the blob; a second deploy changes nothing", async () => {
  const r = await nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const { lease, state } = await stateBlob();
  expect(lease).toBe("available");
  expect(Object.keys(state.resources).filter((a) => a.startsWith("azure/")).sort()).toEqual([
    "azure/container_registry/main", "azure/kubernetes_cluster/main", "azure/kubernetes_cluster_node_pool/user", "azure/kubernetes_cluster_node_pool/worker", "azure/resource_group/main",
  ]);
  expect(state.pending_operations).toEqual([]);
  expect(existsSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"))).toBe(false);
  expect(JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/outputs.json"), "utf8")).resource_group_name.value).toBe("nic-demo-dev");

  const again = await nic("deploy");
  expect(again.code, again.stderr).toBe(0);
  expect(again.doc.phases.cloud.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
}, 120_000);

test("drift read from the blob state is reported, fixed, and the fix is recorded there", async () => {
  await fetch(`${sandbox.controlEndpoint}/mutate`, { method: "POST", body: JSON.stringify({ type: "azure:managed-cluster", id: CLUSTER_ID, tags: { rogue: "1" } }) });
  const detect = await nic("drift", "detect");
  expect(detect.code, detect.stderr).toBe(0);
  expect(detect.doc.cloud.kubernetes_cluster.main.differences).toEqual([{ field: "tags.rogue", state_value: null, actual_value: "1" }]);
  const fix = await nic("drift", "fix", "--yes");
  expect(fix.code, fix.stderr + fix.stdout).toBe(0);
  expect((await nic("drift", "detect")).doc.has_drift).toBe(false);
  expect((await stateBlob()).state.resources["azure/kubernetes_cluster/main"].attributes.tags).toEqual({ team: "data-platform" });
}, 120_000);

test("destroy leaves the sandbox empty and the blob state without resources, its lease released", async () => {
  const r = await nic("destroy", "--yes");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  expect(await azureInventory()).toEqual([]);
  const { lease, state } = await stateBlob();
  expect({ lease, resources: state.resources, pending: state.pending_operations }).toEqual({ lease: "available", resources: {}, pending: [] });
}, 120_000);
