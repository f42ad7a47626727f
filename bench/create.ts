// P4: a full create of the demo stack with 50 ms added to every AWS call, ÷ the least time any scheduler could need
// for the same work (the critical-path bound). Each run gets a fresh sandbox.
//
// The Kubernetes API gets no added latency: sandbox/kubernetes can delay calls (faults.inject({latencyMs})), but the AWS
// sandbox starts each cluster's API inside EKS CreateCluster and exposes neither it nor its faults through `Sandbox` or
// the control API, so a benchmark cannot reach it. The figure's name says so.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.ts";
import { kubernetesDesired } from "../src/deploy/graph.ts";
import { loadProvider } from "../src/deploy/phases.ts";
import type { ApplyEvent } from "../src/engine/apply.ts";
import { criticalPath, type CriticalPath } from "../src/engine/critical-path.ts";
import { stepsOf, type Step } from "../src/engine/graph.ts";
import { plan, type Plan } from "../src/engine/plan.ts";
import { startSandbox } from "../sandbox/index.ts";
import type { Call } from "../sandbox/calls.ts";
import { tempDir } from "../test/helpers/files.ts";
import { round } from "./measure.ts";

export const AWS_LATENCY_MS = 50;
/** The sandbox's lifecycle delays, as bench/deploy.ts uses them: realistic order, short. */
const DELAYS = { eksClusterCreate: 200, eksNodegroupCreate: 100, eksAddonCreate: 50, efsCreate: 50 };
const CONFIG = join(import.meta.dir, "../fixtures/configs/demo-aws.yaml");
const RUNS = 5;

export interface CreateFigures {
  /** Median wall time of `nic deploy` (default parallelism) from an empty sandbox. */
  measured_ms: number;
  /** Where the median run spent its time, in order. */
  measured_parts: Record<"startup" | "read" | "apply" | "finish", number>;
  bound_ms: number;
  bound_parts: Record<"read" | "path", number>;
  /** The bound's chain, each step with its cost when run alone (ms). */
  chain: Array<{ address: string; operation: string; ms: number }>;
}

interface Run {
  wallMs: number;
  spawnedAt: number;
  exitedAt: number;
  events: Array<{ at: number; event: ApplyEvent }>;
  calls: Call[];
}

/** One `nic deploy` on a fresh sandbox with the latency rule, its progress events parsed from the JSON log. */
async function create(nic: string, args: string[] = []): Promise<Run> {
  const sandbox = await startSandbox({ delays: DELAYS });
  const dir = tempDir("nic-bench-create-");
  try {
    await fetch(`${sandbox.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify({ kind: "latency", latencyMs: AWS_LATENCY_MS }) });
    const config = join(dir, "nebari-config.yaml");
    writeFileSync(config, readFileSync(CONFIG, "utf8"));
    const spawnedAt = Date.now();
    const started = performance.now();
    const child = Bun.spawn([nic, "deploy", "-f", config, "--format", "json", ...args], { env: { ...process.env, ...sandbox.env }, stdout: "ignore", stderr: "pipe" });
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    const wallMs = performance.now() - started;
    const exitedAt = Date.now();
    if (code !== 0) throw new Error(`nic deploy ${args.join(" ")} exited ${code}:\n${stderr.slice(-2000)}`);
    const events = stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { time: string; event?: ApplyEvent })
      .flatMap((l) => (l.event ? [{ at: Date.parse(l.time), event: l.event }] : []));
    const { calls } = (await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: Call[] };
    return { wallMs, spawnedAt, exitedAt, events, calls };
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const stepId = (operation: string, address: string) => `${operation} ${address}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** What each step cost in runs at --parallelism 1 (median over the runs), by step id. */
function stepCosts(runs: Run[]): Map<string, number> {
  const samples = new Map<string, number[]>();
  for (const run of runs)
    for (const { event: e } of run.events) {
      if (e.type !== "done") continue;
      const id = stepId(e.operation, e.address);
      samples.set(id, [...(samples.get(id) ?? []), e.elapsedMs]);
    }
  return new Map([...samples].map(([id, ms]) => [id, median(ms)]));
}

/** The one plan of a create from nothing (both stages), made in-process as a deploy makes it against an empty cloud. */
async function createPlan(): Promise<Plan> {
  const loaded = loadConfig(CONFIG);
  const provider = await loadProvider(loaded, "deploy");
  const { config } = loaded;
  const desired = [...provider.desired(config), ...(await kubernetesDesired(config, provider.clusterLinks?.(config) ?? { api: [] }))];
  return plan(desired, new Map(), { resources: [] });
}

/** Where a run spent its time: spawn → first AWS call → first step → last step done → exit. */
function partsOf(run: Run): CreateFigures["measured_parts"] {
  const firstCall = Math.min(...run.calls.map((c) => Date.parse(c.time) - c.ms));
  const at = (type: ApplyEvent["type"]) => run.events.filter((e) => e.event.type === type).map((e) => e.at);
  const start = Math.min(...at("started"));
  const end = Math.max(...at("done"));
  return { startup: firstCall - run.spawnedAt, read: start - firstCall, apply: end - start, finish: run.exitedAt - end };
}

export async function createFigures(nic: string): Promise<CreateFigures> {
  const onePlan = await createPlan();
  const measured: Run[] = [];
  const serial: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    measured.push(await create(nic));
    serial.push(await create(nic, ["--parallelism", "1"]));
  }
  const costs = stepCosts(serial);
  const costOf = (s: Step) => {
    const ms = costs.get(s.id);
    if (ms === undefined) throw new Error(`the serial create did not do the planned step ${s.id}: the plan is not the work measured`);
    return ms;
  };
  const planned = stepsOf(onePlan);
  if (planned.length !== costs.size) throw new Error(`the serial create did ${costs.size} steps, the plan has ${planned.length}`);
  const path = criticalPath(onePlan, costOf);

  // A step's cost alone includes its state writes (journal and record), as the engine does them. One graph: the
  // Kubernetes objects wait only for what they need, so the bound is one read and the one critical path.
  // - the read before planning: its calls are independent, so one round of them at once: one AWS call's added latency
  //   (the sandbox's own time and the client's are left out; the cluster's API has no added latency);
  // Local work (process start, config, the state lock, outputs.json) is counted as 0: any tool may be as fast as it likes there.
  const bound_parts = { read: AWS_LATENCY_MS, path: path.cost };
  const bound = Object.values(bound_parts).reduce((a, b) => a + b, 0);

  const byWall = [...measured].sort((a, b) => a.wallMs - b.wallMs);
  const middle = byWall[Math.floor(byWall.length / 2)]!;
  const chainOf = (path: CriticalPath) => path.steps.map((s) => ({ ...s, ms: round(costs.get(stepId(s.operation, s.address))!) }));
  return {
    measured_ms: round(middle.wallMs),
    measured_parts: roundAll(partsOf(middle)),
    bound_ms: round(bound),
    bound_parts: roundAll(bound_parts),
    chain: chainOf(path),
  };
}

function roundAll<T extends Record<string, number>>(parts: T): T {
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)])) as T;
}
