// A deploy killed (SIGKILL) while AKS is still creating the cluster: the rerun finds the cluster through the intent journal,
// waits for it instead of sending a second create, and finishes. The compiled binary on the ARM sandbox.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { NIC, nicAsync, requireBinary } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

let sandbox: Sandbox;
let dir: string;
let config: string;
const calls = async () => ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: { action: string; status: number }[] }).calls;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 4000, aksPoolCreate: 100, aksClusterDelete: 100, aksPoolDelete: 100, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never });
  dir = tempDir("nic-azure-resume-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8"));
});

afterAll(async () => {
  await sandbox?.stop();
});

test("killed while the cluster is Creating, the rerun waits for it and finishes with one create", async () => {
  requireBinary();
  const env = { PATH: process.env.PATH ?? "", ...sandbox.env, HOME: dir };
  const first = Bun.spawn([NIC, "deploy", "-f", config, "--format", "json"], { env, stdout: "ignore", stderr: "ignore" });
  const deadline = Date.now() + 60_000;
  while (!(await calls()).some((c) => c.action === "ManagedClusters_CreateOrUpdate" && c.status === 201)) {
    if (Date.now() > deadline) throw new Error("the first deploy never sent the cluster create");
    await Bun.sleep(50);
  }
  first.kill("SIGKILL");
  await first.exited;
  const state = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
  expect(state.pending_operations.map((op: { address: string; operation: string }) => `${op.operation} ${op.address}`)).toContain("create azure/kubernetes_cluster/main");

  // The killed run's lock is stale (its process is gone); breaking it is the user's explicit step.
  const unlock = await nicAsync(["state", "unlock", "-f", config, "--force"], { ...sandbox.env, HOME: dir });
  expect(unlock.code, unlock.stderr).toBe(0);
  const rerun = await nicAsync(["deploy", "-f", config, "--format", "json"], { ...sandbox.env, HOME: dir });
  expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
  expect((await calls()).filter((c) => c.action === "ManagedClusters_CreateOrUpdate").length).toBe(1);
  const after = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
  expect(after.pending_operations).toEqual([]);
  expect(Object.keys(after.resources).filter((a) => a.startsWith("azure/")).sort()).toEqual([
    "azure/container_registry/main", "azure/kubernetes_cluster/main", "azure/kubernetes_cluster_node_pool/user", "azure/kubernetes_cluster_node_pool/worker", "azure/resource_group/main",
  ]);
}, 120_000);

test("a cluster AKS reports Failed fails the deploy with that state; the next deploy reconciles it", async () => {
  const failDir = tempDir("nic-azure-failed-");
  const failConfig = join(failDir, "nebari-config.yaml");
  writeFileSync(failConfig, readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8").replace("project_name: nic-demo", "project_name: nicfail"));
  const env = { ...sandbox.env, HOME: failDir };
  const running = nicAsync(["deploy", "-f", failConfig, "--format", "json"], env);
  const seen = async () => (await calls()).filter((c) => c.action === "ManagedClusters_CreateOrUpdate" && c.status === 201).length;
  const deadline = Date.now() + 60_000;
  while ((await seen()) < 2) {
    if (Date.now() > deadline) throw new Error("the deploy never sent the cluster create");
    await Bun.sleep(50);
  }
  // What a failed AKS provisioning looks like: the operation ends, the cluster stays, Failed.
  const id = `/subscriptions/00000000-0000-0000-0000-00000000cafe/resourcegroups/nicfail-dev/providers/microsoft.containerservice/managedclusters/nicfail-dev`;
  const mutated = await fetch(`${sandbox.controlEndpoint}/mutate`, { method: "POST", body: JSON.stringify({ type: "azure:managed-cluster", id, set: { provisioningState: "Failed", transitionAt: null } }) });
  expect(mutated.status).toBe(200);
  const first = await running;
  expect(first.code).toBe(1);
  expect(first.stdout).toContain("cluster nicfail-dev is Failed");

  const second = await nicAsync(["deploy", "-f", failConfig, "--format", "json"], env);
  expect(second.code, second.stderr + second.stdout).toBe(0);
  const cluster = (await (await fetch(`${sandbox.controlEndpoint}/dump`)).json() as { resources: { type: string; id: string; provisioningState: string }[] }).resources.find((r) => r.id === id);
  expect(cluster?.provisioningState).toBe("Succeeded");
}, 120_000);

test("killed while the cluster PUT is still unanswered, the rerun sends it again at once (a PUT by name cannot make a second cluster)", async () => {
  const slowDir = tempDir("nic-azure-inflight-");
  const slowConfig = join(slowDir, "nebari-config.yaml");
  writeFileSync(slowConfig, readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8").replace("project_name: nic-demo", "project_name: nicslow"));
  const env = { ...sandbox.env, HOME: slowDir };
  // The first cluster PUT answers only after 20 s: the killed run leaves it journaled, in flight, and not yet made.
  await fetch(`${sandbox.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify({ service: "containerservice", action: "ManagedClusters_CreateOrUpdate", kind: "latency", latencyMs: 20_000, times: 1 }) });
  const first = Bun.spawn([NIC, "deploy", "-f", slowConfig, "--format", "json"], { env: { PATH: process.env.PATH ?? "", ...env }, stdout: "ignore", stderr: "ignore" });
  // Killed once the sandbox holds the PUT (the fault counts it on arrival): a fixed 300 ms could kill the run before it
  // sent it on a loaded machine, and the rerun's PUT would then be the one held, proving nothing about the resend.
  const held = async () => ((await (await fetch(`${sandbox.controlEndpoint}/faults`)).json()) as { faults: { action?: string; applied: number }[] }).faults.some((f) => f.action === "ManagedClusters_CreateOrUpdate" && f.applied > 0);
  for (let i = 0; !(await held()); i++) {
    if (i > 1200 || first.exitCode !== null) throw new Error("the first deploy never sent the cluster PUT");
    await Bun.sleep(25);
  }
  first.kill("SIGKILL");
  await first.exited;
  expect((await nicAsync(["state", "unlock", "-f", slowConfig, "--force"], env)).code).toBe(0);

  const rerun = await nicAsync(["deploy", "-f", slowConfig, "--format", "json"], env);
  expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
  expect(rerun.stderr).not.toContain("may still be in flight");
}, 120_000);
