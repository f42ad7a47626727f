// Azure, the compiled binary on the ARM sandbox: a resource group the config names is adopted (as Nebari's tofu import
// does) and survives destroy; AKS's one-operation-at-a-time 409 and ARM throttling (429) are retried.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { azureClients } from "../../src/providers/azure/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const CONFIG = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8").replace("azure:\n", "azure:\n  resource_group_name: shared-rg\n");
let sandbox: Sandbox;
let dir: string;
let config: string;

const control = async (path: string, body?: object) =>
  (await (await fetch(`${sandbox.controlEndpoint}${path}`, body ? { method: "POST", body: JSON.stringify(body) } : undefined)).json()) as any;
const inventory = async () => ((await control("/inventory")).resources as { type: string; name: string }[]).filter((r) => r.type.startsWith("azure:")).map((r) => `${r.type}:${r.name}`).sort();
const nic = (...args: string[]) => nicAsync([...args, "-f", config, "--format", "json"], { ...sandbox.env, HOME: dir });

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 300, aksClusterDelete: 100, aksPoolDelete: 100, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never });
  dir = tempDir("nic-azure-adopt-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, CONFIG);
  // Someone else's group, made through the SDK before NIC runs.
  const resources = await azureClients(sandbox.env).resources();
  await resources.resourceGroups.createOrUpdate("shared-rg", { location: "centralus", tags: { owner: "platform" } });
});

afterAll(async () => {
  await sandbox?.stop();
});

test("a wrong client secret stops deploy before any change: CREDENTIALS_INVALID naming Azure AD's error", async () => {
  const r = await nicAsync(["deploy", "-f", config, "--format", "json"], { ...sandbox.env, HOME: dir, AZURE_CLIENT_SECRET: "wrong", ARM_CLIENT_SECRET: "wrong" });
  expect(r.code).toBe(1);
  const doc = JSON.parse(r.stdout);
  expect(doc.error.code).toBe("CREDENTIALS_INVALID");
  expect(doc.error.message).toContain("AADSTS7000215");
  expect(await inventory()).toEqual(["azure:resource-group:shared-rg"]);
}, 60_000);

test("deploy adopts the named group and retries AKS's 409 (another operation in progress) and ARM's 429", async () => {
  await control("/faults", { service: "containerservice", action: "AgentPools_CreateOrUpdate", kind: "error", status: 409, code: "OperationNotAllowed", message: "Operation is not allowed because there's an in progress create operation", times: 2 });
  await control("/faults", { service: "containerservice", action: "ManagedClusters_Get", kind: "throttle", times: 2 });
  const r = await nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const counters = (await control("/counters")).counters;
  expect(counters["containerservice:AgentPools_CreateOrUpdate"]).toBe(4); // two refused, then user and worker
  const calls = (await control("/calls")).calls as { action: string; status: number }[];
  expect(calls.filter((c) => c.status === 429).length).toBe(2);
  expect(await inventory()).toContain("azure:resource-group:shared-rg-node-resource-group");
  const state = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
  expect(state.resources["azure/resource_group/main"].attributes).toMatchObject({ name: "shared-rg", created_by_nic: false });
}, 120_000);

test("a second deploy changes nothing", async () => {
  const r = await nic("deploy", "--dry-run", "--detailed-exitcode");
  expect(r.code, r.stdout).toBe(0);
}, 60_000);

test("destroy leaves the adopted group, and only it", async () => {
  const r = await nic("destroy", "--yes");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  expect(await inventory()).toEqual(["azure:resource-group:shared-rg"]);
}, 120_000);
