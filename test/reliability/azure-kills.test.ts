// R2 on Azure: a deploy, and a destroy of a deployed stack, SIGKILLed after a random number of their log lines (so the kill
// lands mid-run however fast the machine is), the dead run's lock broken with `nic state unlock --force`, and a rerun that
// must converge: the deploy with nothing left to do and exactly the stack in the ARM sandbox; the destroy leaving the sandbox
// and the state empty; a system-pool rotation, killed between its pool calls, finished by the rerun. AZURE_DEPLOY_KILLS /
// AZURE_DESTROY_KILLS trials (3 each in CI), seed AZURE_KILL_SEED. The compiled binary.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { NIC, nicAsync, requireBinary } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { prng } from "./generate.ts";

const TRIALS = Number(process.env.AZURE_DESTROY_KILLS ?? 3);
const DEPLOY_TRIALS = Number(process.env.AZURE_DEPLOY_KILLS ?? 3);
const SEED = Number(process.env.AZURE_KILL_SEED ?? 20261203);
const STACK = [
  "azure:agent-pool:general", "azure:agent-pool:user", "azure:agent-pool:worker", "azure:managed-cluster:nica2Ddemo-dev",
  "azure:registry:nica2Ddemodev", "azure:resource-group:nic-demo-dev", "azure:resource-group:nic-demo-dev-node-resource-group",
];
const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8");
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, aksClusterDelete: 300, aksPoolDelete: 200, acrCreate: 50, acrDelete: 100, groupDelete: 100 } as never });
});

afterAll(async () => {
  await sandbox?.stop();
});

/** The demo stack's folder, on an emptied sandbox. */
async function fresh() {
  await fetch(`${sandbox.controlEndpoint}/reset`, { method: "POST" });
  const dir = tempDir("nic-azure-destroy-kill-");
  const config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO);
  const env = { ...sandbox.env, HOME: dir };
  const nic = (...args: string[]) => nicAsync([...args, "-f", config, "--format", "json"], env);
  const state = () => JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
  /** `nic <command>` SIGKILLed after `lines` lines of its log; whether the kill landed before it finished. */
  const killed = async (command: string, lines: number) => {
    const child = Bun.spawn([NIC, command, ...(command === "destroy" ? ["--yes"] : []), "-f", config, "--format", "json"], { env: { PATH: process.env.PATH ?? "", ...env }, stdout: "ignore", stderr: "pipe" });
    await killAfterLines(child, lines);
    await child.exited;
    return child.signalCode !== null;
  };
  /** A rerun, breaking the dead run's stale lock first when it is still held (exit 4). */
  const rerun = async (command: string) => {
    const args = command === "destroy" ? ["destroy", "--yes"] : [command];
    const first = await nic(...args);
    if (first.code !== 4) return { ...first, lockBroken: false };
    expect(JSON.parse(first.stdout).error.details.stale).toBe(true);
    expect((await nic("state", "unlock", "--force")).code).toBe(0);
    return { ...(await nic(...args)), lockBroken: true };
  };
  return { config, env, nic, state, killed, rerun };
}

async function deployed() {
  const stack = await fresh();
  const r = await stack.nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return stack;
}

const azureInventory = async () =>
  ((await (await fetch(`${sandbox.controlEndpoint}/inventory`)).json()) as { resources: { type: string; name: string }[] }).resources
    .filter((r) => r.type.startsWith("azure:"))
    .map((r) => `${r.type}:${r.name}`);

/** SIGKILL once the child has written more than `lines` lines to stderr (or let it finish). */
async function killAfterLines(child: Bun.Subprocess<"ignore", "ignore", "pipe">, lines: number): Promise<void> {
  let seen = 0;
  for await (const chunk of child.stderr) {
    seen += new TextDecoder().decode(chunk).split("\n").length - 1;
    if (seen > lines) return void child.kill("SIGKILL");
  }
}

test(`a destroy killed at ${TRIALS} random points: after \`state unlock --force\` the rerun leaves the sandbox and the state empty`, async () => {
  requireBinary();
  const reference = await deployed();
  const whole = await reference.nic("destroy", "--yes");
  expect(whole.code, whole.stderr).toBe(0);
  const logLines = whole.stderr.split("\n").filter(Boolean).length;
  expect(logLines).toBeGreaterThan(5);

  const random = prng(SEED);
  const outcomes: string[] = [];
  let killedMidRun = 0;
  let lockBreaks = 0;
  for (let i = 1; i <= TRIALS; i++) {
    const stack = await deployed();
    const killAt = random.int(logLines);
    if (await stack.killed("destroy", killAt)) killedMidRun++;
    const rerun = await stack.rerun("destroy");
    if (rerun.lockBroken) lockBreaks++;
    const state = stack.state();
    outcomes.push(`kill after line ${killAt}: rerun exit ${rerun.code}, left ${JSON.stringify(await azureInventory())}, tracked ${JSON.stringify(Object.keys(state.resources))}, pending ${state.pending_operations.length}`);
  }
  console.log(`R2 destroy on Azure (seed ${SEED}, ${logLines} log lines, ${killedMidRun}/${TRIALS} killed mid-run, ${lockBreaks} stale locks broken):\n${outcomes.join("\n")}`);
  const clean = (line: string) => line.replace(/kill after line \d+: /, "");
  expect(outcomes.map(clean)).toEqual(outcomes.map(() => "rerun exit 0, left [], tracked [], pending 0"));
  expect(killedMidRun, outcomes.join("\n")).toBeGreaterThan(0);
}, 60_000 + TRIALS * 30_000);

test(`a deploy killed at ${DEPLOY_TRIALS} random points: after \`state unlock --force\` the rerun converges to exactly the stack, with nothing left to do`, async () => {
  requireBinary();
  const reference = await fresh();
  const whole = await reference.nic("deploy");
  expect(whole.code, whole.stderr).toBe(0);
  const logLines = whole.stderr.split("\n").filter(Boolean).length;

  const random = prng(SEED + 1);
  const outcomes: string[] = [];
  let killedMidRun = 0;
  let lockBreaks = 0;
  for (let i = 1; i <= DEPLOY_TRIALS; i++) {
    const stack = await fresh();
    const killAt = random.int(logLines);
    if (await stack.killed("deploy", killAt)) killedMidRun++;
    const rerun = await stack.rerun("deploy");
    if (rerun.lockBroken) lockBreaks++;
    const again = await stack.nic("deploy", "--dry-run", "--detailed-exitcode");
    const left = (await azureInventory()).sort();
    outcomes.push(`kill after line ${killAt}: rerun exit ${rerun.code}, then exit ${again.code}, sandbox ${JSON.stringify(left) === JSON.stringify(STACK) ? "is the stack" : JSON.stringify(left)}, pending ${stack.state().pending_operations.length}`);
  }
  console.log(`R2 deploy on Azure (seed ${SEED + 1}, ${logLines} log lines, ${killedMidRun}/${DEPLOY_TRIALS} killed mid-run, ${lockBreaks} stale locks broken):\n${outcomes.join("\n")}`);
  const clean = (line: string) => line.replace(/kill after line \d+: /, "");
  expect(outcomes.map(clean)).toEqual(outcomes.map(() => "rerun exit 0, then exit 0, sandbox is the stack, pending 0"));
  expect(killedMidRun, outcomes.join("\n")).toBeGreaterThan(0);
}, 60_000 + DEPLOY_TRIALS * 30_000);

test(`a system-pool rotation killed at ${DEPLOY_TRIALS} random points: the rerun finishes it, the temporary pool gone, nothing left to do`, async () => {
  requireBinary();
  // The rotation is one step of the log (the cluster's update), so the kill points are its own four pool calls instead:
  // killed once the k-th has been answered (temporary PUT, old pool DELETE, new PUT, temporary DELETE), plus up to 300 ms.
  const calls = async () => ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: { seq: number; action: string; status: number }[] }).calls;
  const systemPools = async () =>
    ((await (await fetch(`${sandbox.controlEndpoint}/dump`)).json()) as { resources: { type: string; name: string; props: { mode: string; vmSize: string } }[] }).resources
      .filter((r) => r.type === "azure:agent-pool" && r.props.mode === "System")
      .map((r) => `${r.name} ${r.props.vmSize}`);
  const random = prng(SEED + 2);
  const outcomes: string[] = [];
  let killedMidRun = 0;
  for (let i = 1; i <= DEPLOY_TRIALS; i++) {
    const stack = await deployed();
    writeFileSync(stack.config, DEMO.replace("instance: Standard_D8_v3", "instance: Standard_D16_v3"));
    const [k, pause] = [1 + random.int(4), random.int(300)];
    const since = (await calls()).at(-1)!.seq;
    const child = Bun.spawn([NIC, "deploy", "-f", stack.config, "--format", "json"], { env: { PATH: process.env.PATH ?? "", ...stack.env }, stdout: "ignore", stderr: "ignore" });
    const answered = async () => (await calls()).filter((c) => c.seq > since && /^AgentPools_(CreateOrUpdate|Delete)$/.test(c.action) && c.status < 300).length;
    while (child.exitCode === null && (await answered()) < k) await Bun.sleep(10);
    await Bun.sleep(pause);
    child.kill("SIGKILL");
    await child.exited;
    if (child.signalCode) killedMidRun++;
    const rerun = await stack.rerun("deploy");
    const again = await stack.nic("deploy", "--dry-run", "--detailed-exitcode");
    outcomes.push(`kill after pool call ${k} + ${pause} ms: rerun exit ${rerun.code}, then exit ${again.code}, system pools ${JSON.stringify(await systemPools())}`);
  }
  console.log(`R2 rotation on Azure (seed ${SEED + 2}, ${killedMidRun}/${DEPLOY_TRIALS} killed mid-run):\n${outcomes.join("\n")}`);
  const clean = (line: string) => line.replace(/kill after pool call .*? ms: /, "");
  expect(outcomes.map(clean)).toEqual(outcomes.map(() => 'rerun exit 0, then exit 0, system pools ["general Standard_D16_v3"]'));
  expect(killedMidRun, outcomes.join("\n")).toBeGreaterThan(0);
}, 60_000 + DEPLOY_TRIALS * 40_000);
