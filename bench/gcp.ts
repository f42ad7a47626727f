// P3 and P4 on GCP, on the GCP sandbox with the demo-gcp stack (`bun bench/gcp.ts` prints them alone).
// P3: a no-op `nic deploy`, with its GCP requests. Its baseline is gcloud (528, the independent client the sandbox is
// vouched by) reading the same objects, four `gcloud` calls at once: Terraform's hashicorp/google provider cannot be
// measured here (no registry access; only hashicorp/aws is mirrored in /opt/tf-plugins), so `terraform plan` is no baseline.
// P4: a full create with 50 ms added to every GCP call ÷ the least time any scheduler could need: one round of reads and
// the critical path where GKE's one-operation-per-cluster rule chains the cluster and its node pools (no tool may overlap
// them). The Kubernetes API gets no added latency (as for AWS: bench/create.ts).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.ts";
import { kubernetesDesired } from "../src/deploy/graph.ts";
import { loadProvider } from "../src/deploy/phases.ts";
import type { ApplyEvent } from "../src/engine/apply.ts";
import { criticalPath } from "../src/engine/critical-path.ts";
import { stepsOf, type Step } from "../src/engine/graph.ts";
import { plan } from "../src/engine/plan.ts";
import type { Call } from "../sandbox/calls.ts";
import { startSandbox, type Sandbox } from "../sandbox/index.ts";
import { tempDir } from "../test/helpers/files.ts";
import { round } from "./measure.ts";

export const GCP_LATENCY_MS = 50;
const DELAYS = { gkeClusterCreate: 200, gkeClusterDelete: 100, gkeClusterUpdate: 50, gkeNodePoolCreate: 100, gkeNodePoolDelete: 100, gkeNodePoolUpdate: 50 };
const CONFIG = join(import.meta.dir, "../fixtures/configs/demo-gcp.yaml");
const RUNS = 3;
/** The kinds GKE runs one operation at a time for (they share the serial key `gke:<project>/<location>`). */
const GKE_SERIAL = new Set(["gcp/container_cluster", "gcp/container_node_pool"]);
const EMAIL = "nicdemo-dev@nebari-sandbox.iam.gserviceaccount.com";

export interface GcpFigures {
  noop_ms: number;
  noop_requests: number;
  gcloud_read_ms: number;
  create_ms: number;
  /** Where the median create spent its time (ms). */
  create_parts: Record<"startup" | "read" | "apply" | "finish", number>;
  bound_ms: number;
  bound_parts: { read: number; path: number };
  chain: Array<{ address: string; operation: string; ms: number }>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function withStack<T>(use: (sandbox: Sandbox, dir: string, config: string) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ delays: DELAYS as never });
  const dir = tempDir("nic-bench-gcp-");
  try {
    const config = join(dir, "nebari-config.yaml");
    writeFileSync(config, readFileSync(CONFIG, "utf8"));
    return await use(sandbox, dir, config);
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(argv: string[], env: Record<string, string | undefined>): Promise<{ ms: number; stderr: string }> {
  const started = performance.now();
  const child = Bun.spawn(argv, { env: { ...process.env, ...env }, stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`${argv.slice(0, 4).join(" ")} exited ${code}:\n${stderr.slice(-2000)}`);
  return { ms: performance.now() - started, stderr };
}

/** P3: the no-op deploy and gcloud's reads of the same objects, on one deployed stack. */
async function noop(nic: string) {
  return withStack(async (sandbox, dir, config) => {
    // gcloud keeps its config in CLOUDSDK_CONFIG and must not pick up a CA bundle meant for other clients.
    const env = { ...sandbox.env, HOME: dir, CLOUDSDK_CONFIG: join(dir, "gcloud"), REQUESTS_CA_BUNDLE: undefined, CURL_CA_BUNDLE: undefined };
    const calls = async () => ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: unknown[] }).calls.length;
    await run([nic, "deploy", "-f", config], env);
    const before = await calls();
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) samples.push((await run([nic, "deploy", "-f", config], env)).ms);
    const requests = Math.round(((await calls()) - before) / 5);

    const reads = [
      ["container", "clusters", "describe", "nicdemo-dev", "--region", "us-central1"],
      ["iam", "service-accounts", "describe", EMAIL],
      ["projects", "get-iam-policy", "nebari-sandbox"],
      ["artifacts", "repositories", "describe", "nicdemo-dev", "--location", "us-central1"],
    ];
    const gcloud: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await Promise.all(reads.map((args) => run(["gcloud", ...args, "--format=none", "--quiet"], env)));
      gcloud.push(performance.now() - started);
    }
    return { noop_ms: round(median(samples)), noop_requests: requests, gcloud_read_ms: round(median(gcloud)) };
  });
}

/** One create from an empty sandbox with the latency rule: wall time, where it went, and the steps' durations from the JSON log. */
async function create(nic: string, args: string[] = []) {
  return withStack(async (sandbox, dir, config) => {
    await fetch(`${sandbox.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify({ kind: "latency", latencyMs: GCP_LATENCY_MS }) });
    const spawnedAt = Date.now();
    const { ms, stderr } = await run([nic, "deploy", "-f", config, "--format", "json", ...args], { ...sandbox.env, HOME: dir });
    const exitedAt = Date.now();
    const events = stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .flatMap((line) => {
        const l = JSON.parse(line) as { time: string; event?: ApplyEvent };
        return l.event ? [{ at: Date.parse(l.time), event: l.event }] : [];
      });
    const { calls } = (await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: Call[] };
    // spawn → first GCP call → first step → last step done → exit
    const firstCall = Math.min(...calls.map((c) => Date.parse(c.time) - c.ms));
    const start = Math.min(...events.filter((e) => e.event.type === "started").map((e) => e.at));
    const end = Math.max(...events.filter((e) => e.event.type === "done").map((e) => e.at));
    const parts = { startup: firstCall - spawnedAt, read: start - firstCall, apply: end - start, finish: exitedAt - end };
    return { ms, parts, done: events.flatMap((e) => (e.event.type === "done" ? [e.event] : [])) };
  });
}

export async function gcpFigures(nic: string): Promise<GcpFigures> {
  const p3 = await noop(nic);

  const loaded = loadConfig(CONFIG);
  const provider = await loadProvider(loaded, "deploy");
  const desired = [...provider.desired(loaded.config), ...(await kubernetesDesired(loaded.config, provider.clusterLinks?.(loaded.config) ?? { api: [] }))];
  // Steps in plan order: the cluster before its pools, the pools in config order.
  const createPlan = plan(desired, new Map(), { resources: [] });
  const steps = stepsOf(createPlan);
  const measured: Array<{ ms: number; parts: GcpFigures["create_parts"] }> = [];
  const samples = new Map<string, number[]>();
  for (let i = 0; i < RUNS; i++) {
    measured.push(await create(nic));
    for (const e of (await create(nic, ["--parallelism", "1"])).done) samples.set(`${e.operation} ${e.address}`, [...(samples.get(`${e.operation} ${e.address}`) ?? []), e.elapsedMs]);
  }
  if (samples.size !== steps.length) throw new Error(`the serial create did ${samples.size} steps, the plan has ${steps.length}`);
  const costOf = (s: Pick<Step, "operation" | "address">) => {
    const ms = samples.get(`${s.operation} ${s.address}`);
    if (!ms) throw new Error(`the serial create did not do the planned step ${s.operation} ${s.address}`);
    return median(ms);
  };
  const path = criticalPath(createPlan, costOf, { oneAtATime: GKE_SERIAL });
  const middle = [...measured].sort((a, b) => a.ms - b.ms)[Math.floor(measured.length / 2)]!;
  // Local work (process start, config, the state lock, outputs.json) counts as 0; the reads before planning are
  // independent, so one round of them: one call's added latency.
  const bound_parts = { read: GCP_LATENCY_MS, path: round(path.cost) };
  return {
    ...p3,
    create_ms: round(middle.ms),
    create_parts: Object.fromEntries(Object.entries(middle.parts).map(([k, v]) => [k, round(v)])) as GcpFigures["create_parts"],
    bound_ms: round(bound_parts.read + path.cost),
    bound_parts,
    chain: path.steps.map((s) => ({ address: s.address, operation: s.operation, ms: round(costOf(s)) })),
  };
}

if (import.meta.main) console.log(JSON.stringify(await gcpFigures(process.argv[2] ?? "dist/nic"), null, 2));
