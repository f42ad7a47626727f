// `make soak` (not CI): the full reliability runs on the sandbox, printing figures; exits 1 on any failure.
// R3: SOAK_FAULT_DEPLOYS (default 10) deploys under 10 % throttling, 5 % 5xx and jittered latency on every AWS service.
// R2: SOAK_KILLS (default 20) deploys killed with SIGKILL at a random point (after a random number of its log lines,
// so the kill lands mid-run however fast the machine is), each followed by a rerun that must
// converge (exit 0, nothing left to do) with no resource in the sandbox that the state does not track.
// R2 for destroy: SOAK_DESTROY_KILLS (default: SOAK_KILLS) destroys of a deployed stack, killed the same way; the rerun
// must exit 0, leave the sandbox empty apart from what AWS deletes by itself, and leave a state that tracks nothing.
import { readFileSync } from "node:fs";
import { nicAsync } from "../test/helpers/binary.ts";
import { prng } from "../test/reliability/generate.ts";
import { Stack } from "../test/reliability/stack.ts";

const faultDeploys = Number(process.env.SOAK_FAULT_DEPLOYS ?? 10);
const kills = Number(process.env.SOAK_KILLS ?? 20);
const destroyKillCount = Number(process.env.SOAK_DESTROY_KILLS ?? kills);
const seed = Number(process.env.SOAK_SEED ?? 20261127);
const r = prng(seed);
const stack = await Stack.start();
const failures: string[] = [];

/** Exit 0 and nothing left to plan, and nothing in the cloud the state does not know. */
async function converged(what: string): Promise<boolean> {
  const dry = await stack.deploy("--dry-run", "--detailed-exitcode");
  const untracked = await stack.untracked();
  if (dry.code !== 0) failures.push(`${what}: a further deploy would still change something (exit ${dry.code})`);
  if (untracked.length) failures.push(`${what}: untracked in the sandbox: ${untracked.join(", ")}`);
  return dry.code === 0 && untracked.length === 0;
}

/** Gone: exit 0, nothing in the sandbox but what AWS deletes by itself, and a state that tracks nothing. */
async function destroyed(what: string, rerun: { code: number; stdout: string }): Promise<boolean> {
  const leftovers = await stack.leftovers();
  const tracked = Object.keys(JSON.parse(readFileSync(stack.statePath, "utf8")).resources);
  if (rerun.code !== 0) failures.push(`${what}: rerun exit ${rerun.code}: ${rerun.stdout.slice(0, 300)}`);
  if (leftovers.length) failures.push(`${what}: left in the sandbox: ${leftovers.join(", ")}`);
  if (tracked.length) failures.push(`${what}: the state still tracks ${tracked.join(", ")}`);
  return rerun.code === 0 && leftovers.length === 0 && tracked.length === 0;
}

/** R2 for destroy: a deployed stack, a destroy killed after a random number of its log lines, then a rerun that must finish the job. */
async function destroyKills(): Promise<void> {
  await stack.reset();
  await stack.deploy();
  const reference = await stack.destroy();
  const logLines = reference.stderr.split("\n").filter(Boolean).length;
  if (reference.code !== 0) failures.push(`R2 reference destroy: exit ${reference.code}`);
  console.log(`R2 destroy crash: ${destroyKillCount} SIGKILLs at random points of a destroy that logs ${logLines} lines, seed ${seed}`);
  const rd = prng(seed); // its own generator, so a seed replays the same kill points whatever ran before
  let clean = 0;
  let lockBreaks = 0;
  let killedMidRun = 0;
  for (let i = 1; i <= destroyKillCount; i++) {
    await stack.reset();
    const deployed = await stack.deploy();
    if (deployed.code !== 0) failures.push(`R2 destroy kill ${i}: the deploy before it exited ${deployed.code}`);
    const killAt = rd.int(logLines);
    const child = stack.spawnDestroy();
    await killAfterLines(child, killAt);
    const code = await child.exited;
    let rerun = await stack.destroy();
    if (rerun.code === 4) {
      lockBreaks++;
      await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env);
      rerun = await stack.destroy();
    }
    const ok = await destroyed(`R2 destroy kill ${i} after log line ${killAt}`, rerun);
    if (ok) clean++;
    if (child.signalCode) killedMidRun++;
    console.log(`  kill ${String(i).padStart(2)} after log line ${String(killAt).padStart(3)}: ${child.signalCode ? "killed" : `had exited ${code}`}, rerun ${ok ? "left nothing behind" : "FAILED"}`);
  }
  console.log(`R2 destroy crash: ${killedMidRun}/${destroyKillCount} killed mid-run; ${clean}/${destroyKillCount} reruns left nothing behind; ${lockBreaks} needed \`nic state unlock --force\` first`);
}

/** SIGKILL once the child has written more than `lines` lines to stderr (or let it finish). */
async function killAfterLines(child: ReturnType<Stack["spawnDeploy"]>, lines: number): Promise<void> {
  let seen = 0;
  for await (const chunk of child.stderr) {
    seen += new TextDecoder().decode(chunk).split("\n").length - 1;
    if (seen > lines) return void child.kill("SIGKILL");
  }
}

try {
  console.log(`R3 faults: ${faultDeploys} deploys, seed ${seed}`);
  let succeeded = 0;
  let faulted = 0;
  let calls = 0;
  for (let i = 1; i <= faultDeploys; i++) {
    await stack.reset();
    await stack.injectNoise(prng(seed + i));
    const started = performance.now();
    const run = await stack.deploy();
    const ms = performance.now() - started;
    faulted += await stack.faultsHit();
    calls += (await stack.control("/calls")).calls.length;
    await stack.control("/faults", { method: "DELETE" });
    const ok = run.code === 0 && (await converged(`R3 deploy ${i}`));
    if (run.code !== 0) failures.push(`R3 deploy ${i}: exit ${run.code}: ${run.stdout.slice(0, 300)}`);
    if (ok) succeeded++;
    console.log(`  deploy ${String(i).padStart(2)}: ${ok ? "ok    " : "FAILED"} ${Math.round(ms)} ms`);
  }
  console.log(`R3 faults: ${succeeded}/${faultDeploys} deploys succeeded and converged; ${faulted} of ${calls} AWS calls faulted (${calls ? ((100 * faulted) / calls).toFixed(1) : "0.0"} %)`);

  // The log of one clean deploy bounds where a kill can land.
  await stack.reset();
  const reference = await stack.deploy();
  const logLines = reference.stderr.split("\n").filter(Boolean).length;
  if (reference.code !== 0) failures.push(`R2 reference deploy: exit ${reference.code}`);
  console.log(`R2 crash: ${kills} SIGKILLs at random points of a deploy that logs ${logLines} lines, seed ${seed}`);
  let convergedRuns = 0;
  let lockBreaks = 0;
  let killedMidRun = 0;
  for (let i = 1; i <= kills; i++) {
    await stack.reset();
    const killAt = r.int(logLines);
    const child = stack.spawnDeploy();
    await killAfterLines(child, killAt);
    const code = await child.exited;
    let rerun = await stack.deploy();
    // The killed run's lock stays behind; breaking it is the documented recovery.
    if (rerun.code === 4) {
      lockBreaks++;
      await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env);
      rerun = await stack.deploy();
    }
    if (rerun.code !== 0) failures.push(`R2 kill ${i} after log line ${killAt}: rerun exit ${rerun.code}: ${rerun.stdout.slice(0, 300)}`);
    const ok = rerun.code === 0 && (await converged(`R2 kill ${i} after log line ${killAt}`));
    if (ok) convergedRuns++;
    if (child.signalCode) killedMidRun++;
    console.log(`  kill ${String(i).padStart(2)} after log line ${String(killAt).padStart(3)}: ${child.signalCode ? "killed" : `had exited ${code}`}, rerun ${ok ? "converged" : "FAILED"}`);
  }
  console.log(`R2 crash: ${killedMidRun}/${kills} deploys killed mid-run; ${convergedRuns}/${kills} reruns converged with no untracked resource; ${lockBreaks} needed \`nic state unlock --force\` first`);

  await destroyKills();
} finally {
  await stack.stop();
}

for (const f of failures) console.log(`FAILED ${f}`);
process.exit(failures.length ? 1 : 0);
