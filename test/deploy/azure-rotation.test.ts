// The system pool's vm size changes as azurerm's temporary_name_for_rotation changes it: a temporary System pool, the old
// pool deleted, the new one created, the temporary one deleted. No --allow-replace, and the cluster (its API server and
// what is in it) is kept. A run killed midway resumes the rotation. The compiled binary on the ARM sandbox.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { NIC, nicAsync, requireBinary } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8");
let sandbox: Sandbox;
let dir: string;
let config: string;
const stage = () => join(dir, ".nebari/stages/02-infrastructure");

async function control(path: string) {
  return (await (await fetch(`${sandbox.controlEndpoint}${path}`)).json()) as any;
}
const calls = async (since = 0) => (await control(`/calls?since=${since}`)).calls as { seq: number; action: string; status: number }[];
const pools = async () =>
  ((await control("/dump")).resources as { type: string; name: string; props: { mode: string; vmSize: string } }[])
    .filter((r) => r.type === "azure:agent-pool")
    .map((p) => `${p.name} ${p.props.mode} ${p.props.vmSize}`)
    .sort();
const nic = (...args: string[]) => nicAsync([...args, "-f", config, "--format", "json"], { ...sandbox.env, HOME: dir });
const withSystemSize = (size: string) => writeFileSync(config, DEMO.replace("instance: Standard_D8_v3", `instance: ${size}`));

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 300, aksClusterDelete: 100, aksPoolDelete: 300, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never });
  dir = tempDir("nic-azure-rotation-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO);
  const r = await nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
});

afterAll(async () => {
  await sandbox?.stop();
});

test("a new system pool vm size rotates through generaltmp as an update: the cluster and its contents are kept", async () => {
  const host = JSON.parse(readFileSync(join(stage(), "outputs.json"), "utf8")).kubernetes_credentials.value.host;
  const since = (await calls()).at(-1)!.seq;
  withSystemSize("Standard_D16_v3");
  const r = await nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  expect(JSON.parse(r.stdout).phases.cloud.plan.summary).toMatchObject({ add: 0, change: 1, replace: 0, destroy: 0 });

  const sent = (await calls(since)).filter((c) => /_(CreateOrUpdate|Delete)$/.test(c.action) && c.status < 300);
  expect(sent.map((c) => c.action)).toEqual(["AgentPools_CreateOrUpdate", "AgentPools_Delete", "AgentPools_CreateOrUpdate", "AgentPools_Delete"]);
  expect(await pools()).toEqual(["general System Standard_D16_v3", "user User Standard_D4_v3", "worker User Standard_D4_v3"]);
  // The same API server, with what stage 03 put in it.
  const outputs = JSON.parse(readFileSync(join(stage(), "outputs.json"), "utf8"));
  expect(outputs.kubernetes_credentials.value.host).toBe(host);
  const kubectl = Bun.spawn(["kubectl", "--kubeconfig", join(stage(), "kubeconfig"), "get", "ns", "dev", "-o", "name"], { stdout: "pipe", stderr: "pipe" });
  expect((await new Response(kubectl.stdout).text()).trim()).toBe("namespace/dev");

  const again = await nic("deploy");
  expect(again.code, again.stderr).toBe(0);
  expect(JSON.parse(again.stdout).phases.cloud.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
}, 120_000);

test("a rotation killed once the temporary pool exists resumes: the rerun finishes it and removes the temporary pool", async () => {
  requireBinary();
  withSystemSize("Standard_D32_v3");
  const since = (await calls()).at(-1)!.seq;
  const first = Bun.spawn([NIC, "deploy", "-f", config, "--format", "json"], { env: { PATH: process.env.PATH ?? "", ...sandbox.env, HOME: dir }, stdout: "ignore", stderr: "ignore" });
  const deadline = Date.now() + 60_000;
  while (!(await calls(since)).some((c) => c.action === "AgentPools_Delete" && c.status < 300)) {
    if (Date.now() > deadline || first.exitCode !== null) throw new Error("the deploy never started deleting the old system pool");
    await Bun.sleep(20);
  }
  first.kill("SIGKILL");
  await first.exited;
  expect(await pools()).toContain("generaltmp System Standard_D32_v3");

  expect((await nicAsync(["state", "unlock", "-f", config, "--force"], { ...sandbox.env, HOME: dir })).code).toBe(0);
  const rerun = await nic("deploy");
  expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
  expect(await pools()).toEqual(["general System Standard_D32_v3", "user User Standard_D4_v3", "worker User Standard_D4_v3"]);
  expect((await calls(since)).filter((c) => c.action.startsWith("ManagedClusters_") && c.action !== "ManagedClusters_Get" && !c.action.startsWith("ManagedClusters_List")).map((c) => c.action)).toEqual([]);
}, 120_000);

test("a new system pool name rotates too: the pool is recreated under the new name, the old one is gone", async () => {
  writeFileSync(config, DEMO.replace("instance: Standard_D8_v3", "instance: Standard_D32_v3").replace("  general:", "  base:"));
  const r = await nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  expect(JSON.parse(r.stdout).phases.cloud.plan.summary).toMatchObject({ add: 0, change: 1, replace: 0, destroy: 0 });
  expect(await pools()).toEqual(["base System Standard_D32_v3", "user User Standard_D4_v3", "worker User Standard_D4_v3"]);
  const base = ((await control("/dump")).resources as { type: string; name: string; props: { nodeLabels: object } }[]).find((r) => r.type === "azure:agent-pool" && r.name === "base");
  expect(base?.props.nodeLabels).toEqual({ "azure-node-pool": "base" });
  const again = await nic("deploy");
  expect(JSON.parse(again.stdout).phases.cloud.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
}, 120_000);
