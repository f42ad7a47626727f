// `make soak` (not CI): the full reliability runs on the sandbox, printing figures; exits 1 on any failure.
// R3: SOAK_FAULT_DEPLOYS (default 10) deploys under 10 % throttling, 5 % 5xx and jittered latency on every AWS service.
// R2: SOAK_KILLS (default 20) deploys killed with SIGKILL at a random point (after a random number of its log lines,
// so the kill lands mid-run however fast the machine is), each followed by a rerun that must
// converge (exit 0, nothing left to do) with no resource in the sandbox that the state does not track.
// R2 for destroy: SOAK_DESTROY_KILLS (default: SOAK_KILLS) destroys of a deployed stack, killed the same way; the rerun
// must exit 0, leave the sandbox empty apart from what AWS deletes by itself, and leave a state that tracks nothing.
// R6 hung calls: SOAK_HUNG (default 5) deploys with 300 s of latency on one read call; each must fail with REQUEST_TIMEOUT
// naming it and leave the lock released. R7 in-flight creates: SOAK_INFLIGHT (default 5) deploys SIGKILLed while a create
// answers slowly, rerun at once: no orphan, no duplicate. Every converged run must also leave an empty journal and
// `nic status` healthy. The last lines are a table per scenario: trials, passes, orphans, journal entries left, and the
// time to detect a hung call.
import { readFileSync } from "node:fs";
import { nicAsync } from "../test/helpers/binary.ts";
import { prng } from "../test/reliability/generate.ts";
import { Stack } from "../test/reliability/stack.ts";

const faultDeploys = Number(process.env.SOAK_FAULT_DEPLOYS ?? 10);
const kills = Number(process.env.SOAK_KILLS ?? 20);
const destroyKillCount = Number(process.env.SOAK_DESTROY_KILLS ?? kills);
const seed = Number(process.env.SOAK_SEED ?? 20261127);
const r = prng(seed);
const hungTrials = Number(process.env.SOAK_HUNG ?? 5);
const inflightTrials = Number(process.env.SOAK_INFLIGHT ?? 5);
/** The reruns' own request deadline. A tokenless create the killed run may still have in flight is waited for until the killed run's deadline (in_flight_until in its journal entry), not this one. */
const RERUN_TIMEOUT = ["--request-timeout", process.env.SOAK_REQUEST_TIMEOUT ?? "10s"];
const stack = await Stack.start();
const failures: string[] = [];

/** Per scenario, for the closing table. */
interface Tally {
  trials: number;
  passes: number;
  orphans: number;
  journalLeft: number;
  detectMs: number[];
}
const tallies = new Map<string, Tally>();
const tally = (name: string): Tally => {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { trials: 0, passes: 0, orphans: 0, journalLeft: 0, detectMs: [] }));
  return t;
};

/** The state's journal entries (none once a run converged). */
function journalLeft(): number {
  try {
    return JSON.parse(readFileSync(stack.statePath, "utf8")).pending_operations.length;
  } catch {
    return 0;
  }
}

/** Resources made twice: EC2 records carry their name as a Name tag (the main route table and default groups have none). */
async function namedTwice(): Promise<string[]> {
  const seen = new Map<string, number>();
  for (const r of await stack.inventory()) if (r.tags?.Name) seen.set(`${r.type}:${r.tags.Name}`, (seen.get(`${r.type}:${r.tags.Name}`) ?? 0) + 1);
  return [...(await stack.duplicates()), ...[...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`)];
}

/** Exit 0 and nothing left to plan, nothing in the cloud the state does not know, an empty journal and a healthy status. */
async function converged(what: string, scenario?: Tally): Promise<boolean> {
  const dry = await stack.deploy("--dry-run", "--detailed-exitcode");
  const untracked = [...(await stack.untracked()), ...(await namedTwice())];
  const left = journalLeft();
  const status = JSON.parse((await nicAsync(["status", "-f", stack.config, "--format", "json"], stack.env)).stdout || "{}");
  if (scenario) {
    scenario.orphans += untracked.length;
    scenario.journalLeft += left;
  }
  if (dry.code !== 0) failures.push(`${what}: a further deploy would still change something (exit ${dry.code})`);
  if (untracked.length) failures.push(`${what}: untracked in the sandbox: ${untracked.join(", ")}`);
  if (left) failures.push(`${what}: ${left} journal entries left`);
  if (!status.healthy) failures.push(`${what}: nic status not healthy: ${JSON.stringify(status.issues ?? status.error)}`);
  return dry.code === 0 && untracked.length === 0 && left === 0 && status.healthy === true;
}

/** R6: a read that never answers is detected by the request deadline, reported by name, and the lock is released. */
async function hungCalls(): Promise<void> {
  const reads = ["DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeRouteTables", "DescribeInternetGateways"];
  const t = tally("R6 hung call");
  for (let i = 1; i <= hungTrials; i++) {
    await stack.reset();
    const action = reads[(i - 1) % reads.length]!;
    await stack.addFault({ service: "ec2", action, kind: "latency", latencyMs: 300_000 });
    const started = performance.now();
    const run = await stack.deploy("--request-timeout", "2s");
    const ms = performance.now() - started;
    const error = JSON.parse(run.stdout || "{}").error;
    const lockFree = !(await Bun.file(`${stack.statePath}.lock`).exists());
    const ok = error?.code === "REQUEST_TIMEOUT" && error.details?.call === `ec2:${action}` && lockFree;
    t.trials++;
    t.detectMs.push(ms);
    if (ok) t.passes++;
    else failures.push(`R6 hung ${action}: ${error?.code ?? `exit ${run.code}`} ${error?.details?.call ?? ""}${lockFree ? "" : ", lock left behind"}`);
    console.log(`  hung ${action.padEnd(26)}: ${ok ? "detected" : "FAILED  "} in ${(ms / 1000).toFixed(1)} s`);
  }
}

/** R7: a create answers slowly, the deploy is SIGKILLed mid-call and rerun at once; the late answer must not become an orphan. */
async function inflightCreates(): Promise<void> {
  const creates: Record<string, string> = { CreateRouteTable: "aws/route_table/", CreateVpc: "aws/vpc/", CreateSubnet: "aws/subnet/", CreateSecurityGroup: "aws/security_group/", CreateInternetGateway: "aws/internet_gateway/" };
  const journaled = (prefix: string) => {
    try {
      return (JSON.parse(readFileSync(stack.statePath, "utf8")).pending_operations as Array<{ address: string }>).some((op) => op.address.startsWith(prefix));
    } catch {
      return false;
    }
  };
  const t = tally("R7 in-flight create");
  for (let i = 1; i <= inflightTrials; i++) {
    await stack.reset();
    const [action, prefix] = Object.entries(creates)[(i - 1) % Object.keys(creates).length]!;
    await stack.addFault({ service: "ec2", action, kind: "latency", latencyMs: 3000 });
    const child = stack.spawnDeploy();
    for (let n = 0; n < 3000 && !journaled(prefix); n++) await Bun.sleep(10);
    await Bun.sleep(1500); // half-way through the slow create
    child.kill("SIGKILL");
    await child.exited;
    await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env);
    const rerun = await stack.deploy(...RERUN_TIMEOUT);
    await Bun.sleep(3500); // every request of the killed run has ended
    await stack.control("/faults", { method: "DELETE" });
    t.trials++;
    const ok = rerun.code === 0 && (await converged(`R7 kill during ${action}`, t));
    if (rerun.code !== 0) failures.push(`R7 kill during ${action}: rerun exit ${rerun.code}: ${rerun.stdout.slice(0, 300)}`);
    if (ok) t.passes++;
    console.log(`  kill during ${action.padEnd(22)}: rerun ${ok ? "converged" : "FAILED"}`);
  }
}

function printTallies(): void {
  console.log("\nscenario               trials  passes  orphans  journal left  hung call detected in");
  for (const [name, t] of tallies) {
    const detect = t.detectMs.length ? `${(Math.max(...t.detectMs) / 1000).toFixed(1)} s max, ${(t.detectMs.reduce((a, b) => a + b, 0) / t.detectMs.length / 1000).toFixed(1)} s mean` : "-";
    console.log(`${name.padEnd(22)} ${String(t.trials).padStart(6)}  ${String(t.passes).padStart(6)}  ${String(t.orphans).padStart(7)}  ${String(t.journalLeft).padStart(12)}  ${detect}`);
  }
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
    let rerun = await stack.destroy(...RERUN_TIMEOUT);
    if (rerun.code === 4) {
      lockBreaks++;
      await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env);
      rerun = await stack.destroy(...RERUN_TIMEOUT);
    }
    const ok = await destroyed(`R2 destroy kill ${i} after log line ${killAt}`, rerun);
    const t = tally("R2 destroy kill");
    t.trials++;
    t.orphans += (await stack.leftovers()).length;
    t.journalLeft += journalLeft();
    if (ok) t.passes++;
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
    const t = tally("R3 faults");
    t.trials++;
    const ok = run.code === 0 && (await converged(`R3 deploy ${i}`, t));
    if (run.code !== 0) failures.push(`R3 deploy ${i}: exit ${run.code}: ${run.stdout.slice(0, 300)}`);
    if (ok) succeeded++;
    if (ok) t.passes++;
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
    let rerun = await stack.deploy(...RERUN_TIMEOUT);
    // The killed run's lock stays behind; breaking it is the documented recovery.
    if (rerun.code === 4) {
      lockBreaks++;
      await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env);
      rerun = await stack.deploy(...RERUN_TIMEOUT);
    }
    if (rerun.code !== 0) failures.push(`R2 kill ${i} after log line ${killAt}: rerun exit ${rerun.code}: ${rerun.stdout.slice(0, 300)}`);
    const t = tally("R2 deploy kill");
    t.trials++;
    const ok = rerun.code === 0 && (await converged(`R2 kill ${i} after log line ${killAt}`, t));
    if (ok) t.passes++;
    if (ok) convergedRuns++;
    if (child.signalCode) killedMidRun++;
    console.log(`  kill ${String(i).padStart(2)} after log line ${String(killAt).padStart(3)}: ${child.signalCode ? "killed" : `had exited ${code}`}, rerun ${ok ? "converged" : "FAILED"}`);
  }
  console.log(`R2 crash: ${killedMidRun}/${kills} deploys killed mid-run; ${convergedRuns}/${kills} reruns converged with no untracked resource; ${lockBreaks} needed \`nic state unlock --force\` first`);

  await destroyKills();
  console.log(`R6 hung calls: ${hungTrials} deploys with one read hanging 300 s, --request-timeout 2s`);
  await hungCalls();
  console.log(`R7 in-flight creates: ${inflightTrials} deploys SIGKILLed while a create answers in 3 s`);
  await inflightCreates();
  printTallies();
} finally {
  await stack.stop();
}

for (const f of failures) console.log(`FAILED ${f}`);
process.exit(failures.length ? 1 : 0);
