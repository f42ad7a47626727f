// R2 for destroy on Azure: a deployed stack, a destroy SIGKILLed after a random number of its log lines (so the kill lands
// mid-run however fast the machine is), the dead run's lock broken with `nic state unlock --force`, and a rerun that must
// leave the ARM sandbox and the state empty. AZURE_DESTROY_KILLS trials (3 in CI), seed AZURE_DESTROY_SEED. The compiled binary.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { NIC, nicAsync, requireBinary } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { prng } from "./generate.ts";

const TRIALS = Number(process.env.AZURE_DESTROY_KILLS ?? 3);
const SEED = Number(process.env.AZURE_DESTROY_SEED ?? 20261203);
const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8");
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, aksClusterDelete: 300, aksPoolDelete: 200, acrCreate: 50, acrDelete: 100, groupDelete: 100 } as never });
});

afterAll(async () => {
  await sandbox?.stop();
});

/** A deployed demo stack in a fresh folder, on an emptied sandbox. */
async function deployed() {
  await fetch(`${sandbox.controlEndpoint}/reset`, { method: "POST" });
  const dir = tempDir("nic-azure-destroy-kill-");
  const config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO);
  const env = { ...sandbox.env, HOME: dir };
  const nic = (...args: string[]) => nicAsync([...args, "-f", config, "--format", "json"], env);
  const r = await nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const state = () => JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
  return { config, env, nic, state };
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
    const child = Bun.spawn([NIC, "destroy", "--yes", "-f", stack.config, "--format", "json"], { env: { PATH: process.env.PATH ?? "", ...stack.env }, stdout: "ignore", stderr: "pipe" });
    await killAfterLines(child, killAt);
    await child.exited;
    if (child.signalCode) killedMidRun++;

    let rerun = await stack.nic("destroy", "--yes");
    if (rerun.code === 4) {
      lockBreaks++;
      expect(JSON.parse(rerun.stdout).error.details.stale).toBe(true);
      expect((await stack.nic("state", "unlock", "--force")).code).toBe(0);
      rerun = await stack.nic("destroy", "--yes");
    }
    const state = stack.state();
    outcomes.push(`kill after line ${killAt}: rerun exit ${rerun.code}, left ${JSON.stringify(await azureInventory())}, tracked ${JSON.stringify(Object.keys(state.resources))}, pending ${state.pending_operations.length}`);
  }
  console.log(`R2 destroy on Azure (seed ${SEED}, ${logLines} log lines, ${killedMidRun}/${TRIALS} killed mid-run, ${lockBreaks} stale locks broken):\n${outcomes.join("\n")}`);
  const clean = (line: string) => line.replace(/kill after line \d+: /, "");
  expect(outcomes.map(clean)).toEqual(outcomes.map(() => "rerun exit 0, left [], tracked [], pending 0"));
  expect(killedMidRun, outcomes.join("\n")).toBeGreaterThan(0);
}, 60_000 + TRIALS * 30_000);
