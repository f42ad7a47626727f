// P7: a full create of the demo stack under the sandbox's realistic profile (AWS's durations ÷ 60, sandbox/profiles.ts),
// with --wait (as Helm waits for the autoscaler in Nebari's stage 03). NIC's wall time against, from the same run's own
// step durations: (a) the critical path of the one graph, (b) what a two-stage tool pays at best: stage 02's critical
// path plus stage 03's, one after the other. Beside it, the real Terraform applies stage 02 alone (its kubernetes and helm
// providers are not installable here) on a sandbox with the same profile.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../sandbox/index.ts";
import { terraformWorkspace } from "../sandbox/scripts/terraform.ts";
import { DEFAULT_SCALE } from "../sandbox/profiles.ts";
import { loadConfig } from "../src/config/load.ts";
import { kubernetesDesired } from "../src/deploy/graph.ts";
import { loadProvider } from "../src/deploy/phases.ts";
import type { ApplyEvent } from "../src/engine/apply.ts";
import { criticalPath } from "../src/engine/critical-path.ts";
import type { Step } from "../src/engine/graph.ts";
import { plan } from "../src/engine/plan.ts";
import { tempDir } from "../test/helpers/files.ts";
import { round } from "./measure.ts";

const CONFIG = join(import.meta.dir, "../fixtures/configs/demo-aws.yaml");
const RUNS = Number(process.env.BENCH_P7_RUNS ?? 3);

export interface ProfileFigures {
  scale: number;
  /** Median wall time of `nic deploy --wait` from an empty sandbox, process start to exit. */
  wall_ms: number;
  /** The one graph's critical path, from that run's step durations. */
  one_graph_ms: number;
  /** Stage 02's critical path + stage 03's, from the same durations. */
  two_stage_ms: number;
  stage02_ms: number;
  stage03_ms: number;
  /** In that run, from process start until the last cloud resource was done (NIC's stage 02, with stage 03 beside it). */
  nic_stage02_done_ms: number;
  /** The real Terraform's `apply` of stage 02 alone (fixtures/terraform/aws-stage02), one run, init not counted. */
  terraform_stage02_ms: number;
  chain: Array<{ address: string; operation: string; ms: number }>;
}

interface Run {
  wallMs: number;
  /** When the last cloud step was done, since the process started. */
  stage02DoneMs: number;
  durations: Map<string, number>;
}

async function create(nic: string): Promise<Run> {
  const sandbox = await startSandbox({ profile: "realistic" });
  const dir = tempDir("nic-bench-p7-");
  try {
    const config = join(dir, "nebari-config.yaml");
    writeFileSync(config, readFileSync(CONFIG, "utf8"));
    const spawnedAt = Date.now();
    const started = performance.now();
    const child = Bun.spawn([nic, "deploy", "-f", config, "--wait", "--format", "json"], { env: { ...process.env, ...sandbox.env, HOME: dir }, stdout: "ignore", stderr: "pipe" });
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`nic deploy --wait exited ${code}:\n${stderr.slice(-2000)}`);
    const durations = new Map<string, number>();
    let stage02DoneMs = 0;
    for (const line of stderr.split("\n")) {
      if (!line.startsWith("{")) continue;
      const { time, event: e } = JSON.parse(line) as { time: string; event?: ApplyEvent };
      if (e?.type !== "done") continue;
      durations.set(`${e.operation} ${e.address}`, e.elapsedMs);
      if (e.address.startsWith("aws/")) stage02DoneMs = Math.max(stage02DoneMs, Date.parse(time) - spawnedAt);
    }
    return { wallMs, stage02DoneMs, durations };
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real Terraform's `terraform apply` of stage 02 from nothing under the same profile (its init is not counted). */
async function terraformCreate(): Promise<number> {
  const sandbox = await startSandbox({ profile: "realistic" });
  const tf = terraformWorkspace(sandbox.awsEndpoint);
  try {
    const init = await tf.run(["init", "-input=false", "-no-color"]);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output.slice(-2000)}`);
    const started = performance.now();
    const apply = await tf.run(["apply", "-auto-approve", "-input=false", "-no-color"]);
    if (apply.code !== 0) throw new Error(`terraform apply failed:\n${apply.output.slice(-2000)}`);
    return performance.now() - started;
  } finally {
    tf.remove();
    await sandbox.stop();
  }
}

/** The plans of a create from nothing: the one graph, and the same work cut into two stages with no edge between them. */
async function plans() {
  const loaded = loadConfig(CONFIG);
  const provider = await loadProvider(loaded, "deploy");
  const { config } = loaded;
  const empty = { resources: [] };
  const cloud = provider.desired(config);
  const wait = { waitForWorkloads: true };
  return {
    one: plan([...cloud, ...(await kubernetesDesired(config, provider.clusterLinks!(config), wait))], new Map(), empty),
    stage02: plan(cloud, new Map(), empty),
    stage03: plan(await kubernetesDesired(config, { api: [] }, wait), new Map(), empty),
  };
}

export async function profileFigures(nic: string): Promise<ProfileFigures> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await create(nic));
  const run = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
  const cost = (s: Step) => {
    const ms = run.durations.get(s.id);
    if (ms === undefined) throw new Error(`the create did not do the planned step ${s.id}: the plan is not the work measured`);
    return ms;
  };
  const p = await plans();
  const one = criticalPath(p.one, cost);
  const stage02 = criticalPath(p.stage02, cost).cost;
  const stage03 = criticalPath(p.stage03, cost).cost;
  const terraform = await terraformCreate();
  return {
    scale: DEFAULT_SCALE,
    wall_ms: round(run.wallMs),
    one_graph_ms: round(one.cost),
    two_stage_ms: round(stage02 + stage03),
    stage02_ms: round(stage02),
    stage03_ms: round(stage03),
    nic_stage02_done_ms: round(run.stage02DoneMs),
    terraform_stage02_ms: round(terraform),
    chain: one.steps.map((s) => ({ ...s, ms: round(run.durations.get(`${s.operation} ${s.address}`)!) })),
  };
}
