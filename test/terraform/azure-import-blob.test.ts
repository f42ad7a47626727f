// nic import --from-terraform on Azure, an OpenTofu-written state where Nebari keeps it with `terraform_state.type: remote`: the stage-01
// storage account's container `<project>-<ns>-state`, blob `terraform/<escaped project>-<ns>/02-infrastructure` (no
// .tfstate suffix), found without a flag. azurite serves Blob Storage, the ARM sandbox the deployment; NIC's own state
// goes to the same container. A lease Terraform's azurerm backend holds stops the import. The compiled binary.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { startAzurite } from "../state/emulators.ts";
import { CLUSTER_ID, terraformState } from "./azure-tfstate.ts";

const CONFIG = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8").replace("type: local", "type: remote");
const TERRAFORM_BLOB = "terraform/nica2Ddemo-dev/02-infrastructure";
let sandbox: Sandbox;
let azurite: Awaited<ReturnType<typeof startAzurite>>;
let container: ContainerClient;
let dir: string;
let env: Record<string, string>;

const nic = async (...args: string[]) => {
  const r = await nicAsync([...args, "-f", "nebari-config.yaml", "--format", "json"], env, dir);
  if (!r.stdout.startsWith("{")) throw new Error(`nic ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return { code: r.code, doc: JSON.parse(r.stdout), stderr: r.stderr };
};

beforeAll(async () => {
  [sandbox, azurite] = await Promise.all([
    startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, aksClusterDelete: 100, aksPoolDelete: 100, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never }),
    startAzurite(),
  ]);
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("nic-demo-dev-state");
  await container.create();
  dir = tempDir("nic-azure-import-blob-");
  env = { ...sandbox.env, HOME: dir, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
  writeFileSync(join(dir, "nebari-config.yaml"), CONFIG);
  // The deployment exists (made here by NIC with a throwaway local state), as if Terraform had made it.
  const made = await nic("deploy", "--state", join(dir, "setup/nic-state.json"));
  expect(made.code, made.stderr).toBe(0);
  const credentials = JSON.parse(readFileSync(join(dir, "setup/outputs.json"), "utf8")).kubernetes_credentials.value;
  rmSync(join(dir, "setup"), { recursive: true });
  // Nebari runs OpenTofu: its version and provider addresses.
  const tofu = terraformState(credentials);
  tofu.terraform_version = "1.8.5";
  for (const r of tofu.resources) r.provider = r.provider.replace("registry.terraform.io", "registry.opentofu.org");
  const text = JSON.stringify(tofu);
  await container.getBlockBlobClient(TERRAFORM_BLOB).upload(text, Buffer.byteLength(text));
}, 120_000);

afterAll(async () => {
  await Promise.all([sandbox?.stop(), azurite?.stop()]);
});

test("a lease on the Terraform state blob (a Terraform run in progress) stops the import", async () => {
  const lease = container.getBlobClient(TERRAFORM_BLOB).getBlobLeaseClient();
  await lease.acquireLease(-1);
  try {
    const r = await nic("import", "--from-terraform", "--validate-only");
    expect(r.code).not.toBe(0);
    expect(r.doc.error.code).toBe("TFSTATE_LOCKED");
  } finally {
    await lease.releaseLease();
  }
});

test("import finds the state in Nebari's Azure container, verifies it, writes NIC state beside it; deploy then changes nothing", async () => {
  const check = await nic("import", "--from-terraform", "--validate-only");
  expect(check.code, JSON.stringify(check.doc)).toBe(0);
  expect(check.doc).toMatchObject({ success: true, ready: true });
  expect(JSON.stringify(check.doc)).toContain(`azblob://nicdemodevx7k2/nic-demo-dev-state/${TERRAFORM_BLOB}`);
  expect(check.doc.cloud.found.map((m: { address: string }) => m.address).sort()).toEqual([
    "azure/container_registry/main", "azure/kubernetes_cluster/main", "azure/kubernetes_cluster_node_pool/user", "azure/kubernetes_cluster_node_pool/worker", "azure/resource_group/main",
  ]);
  expect(check.doc.cloud).toMatchObject({ missing: [], not_in_terraform: [], unmanaged: [], changes: [] });

  const imported = await nic("import", "--from-terraform");
  expect(imported.code, JSON.stringify(imported.doc)).toBe(0);
  expect(imported.doc.written.state).toBe("azblob://nicdemodevx7k2/nic-demo-dev-state/nic/nic-demo-dev/02-infrastructure/nic-state.json");
  const state = JSON.parse((await container.getBlockBlobClient("nic/nic-demo-dev/02-infrastructure/nic-state.json").downloadToBuffer()).toString());
  expect(state.resources["azure/kubernetes_cluster/main"]).toMatchObject({ provider_id: CLUSTER_ID, imported_from_terraform: true });
  // Terraform's blob is only read: unchanged, and no lease left on it.
  const props = await container.getBlobClient(TERRAFORM_BLOB).getProperties();
  expect({ lease: props.leaseState, serial: JSON.parse((await container.getBlobClient(TERRAFORM_BLOB).downloadToBuffer()).toString()).serial }).toEqual({ lease: "available", serial: 12 });

  const dryRun = await nic("deploy", "--dry-run", "--detailed-exitcode");
  expect(dryRun.code, JSON.stringify(dryRun.doc.phases?.cloud?.plan ?? dryRun.doc)).toBe(0);
}, 180_000);
