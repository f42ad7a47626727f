// P3 and P4 on Azure, on the ARM sandbox with the demo-azure stack (`bun bench/azure.ts` prints them alone).
// P3: a no-op `nic deploy`, with its ARM requests. Its baseline is azure-cli (2.45, the independent client the sandbox is
// vouched by) reading the same objects, four `az` calls at once: Terraform's hashicorp/azurerm provider cannot be measured
// here (no registry access; only hashicorp/aws is mirrored in /opt/tf-plugins), so `terraform plan` is no baseline on Azure.
// P4: a full create with 50 ms added to every ARM and Azure AD call ÷ the least time any scheduler could need: the
// sign-in, one round of reads, and the critical path where AKS's one-operation-at-a-time rule chains the cluster and its
// pools (no tool may overlap them). The Kubernetes API gets no added latency (as for AWS: bench/create.ts).
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

export const AZURE_LATENCY_MS = 50;
const DELAYS = { aksClusterCreate: 200, aksPoolCreate: 100, acrCreate: 50, aksClusterDelete: 100, aksPoolDelete: 100, acrDelete: 50, groupDelete: 50 };
const CONFIG = join(import.meta.dir, "../fixtures/configs/demo-azure.yaml");
const RUNS = 3;
/** The kinds AKS runs one operation at a time for (src/providers/azure/kinds/pool-shape.ts, AKS_SERIAL_KEY). */
const AKS_SERIAL = new Set(["azure/kubernetes_cluster", "azure/kubernetes_cluster_node_pool"]);

export interface AzureFigures {
  noop_ms: number;
  noop_requests: number;
  az_read_ms: number;
  create_ms: number;
  /** Where the median create spent its time (ms). */
  create_parts: Record<"startup" | "read" | "apply" | "finish", number>;
  bound_ms: number;
  bound_parts: { sign_in: number; read: number; path: number };
  chain: Array<{ address: string; operation: string; ms: number }>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function withStack<T>(use: (sandbox: Sandbox, dir: string, config: string) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ delays: DELAYS as never });
  const dir = tempDir("nic-bench-azure-");
  try {
    const config = join(dir, "nebari-config.yaml");
    writeFileSync(config, readFileSync(CONFIG, "utf8"));
    return await use(sandbox, dir, config);
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(argv: string[], env: Record<string, string>): Promise<{ ms: number; stderr: string }> {
  const started = performance.now();
  const child = Bun.spawn(argv, { env: { ...process.env, ...env }, stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`${argv.slice(0, 3).join(" ")} exited ${code}:\n${stderr.slice(-2000)}`);
  return { ms: performance.now() - started, stderr };
}

/** P3: the no-op deploy and azure-cli's reads of the same objects, on one deployed stack. */
async function noop(nic: string) {
  return withStack(async (sandbox, dir, config) => {
    const env = { ...sandbox.env, HOME: dir, AZURE_CONFIG_DIR: join(dir, "azure-cli") };
    const calls = async () => ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: unknown[] }).calls.length;
    await run([nic, "deploy", "-f", config], env);
    const before = await calls();
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) samples.push((await run([nic, "deploy", "-f", config], env)).ms);
    const requests = Math.round(((await calls()) - before) / 5);

    await run(["bash", "sandbox/scripts/az-login"], env);
    const reads = [["group", "show", "-n", "nic-demo-dev"], ["acr", "show", "-g", "nic-demo-dev", "-n", "nica2Ddemodev"], ["aks", "show", "-g", "nic-demo-dev", "-n", "nica2Ddemo-dev"], ["aks", "nodepool", "list", "-g", "nic-demo-dev", "--cluster-name", "nica2Ddemo-dev"]];
    const az: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await Promise.all(reads.map((args) => run(["az", ...args, "-o", "none", "--only-show-errors"], env)));
      az.push(performance.now() - started);
    }
    return { noop_ms: round(median(samples)), noop_requests: requests, az_read_ms: round(median(az)) };
  });
}

/** One create from an empty sandbox with the latency rule: wall time, where it went, and the steps' durations from the JSON log. */
async function create(nic: string, args: string[] = []) {
  return withStack(async (sandbox, dir, config) => {
    await fetch(`${sandbox.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify({ kind: "latency", latencyMs: AZURE_LATENCY_MS }) });
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
    // spawn → first ARM/AAD call → first step → last step done → exit
    const firstCall = Math.min(...calls.map((c) => Date.parse(c.time) - c.ms));
    const start = Math.min(...events.filter((e) => e.event.type === "started").map((e) => e.at));
    const end = Math.max(...events.filter((e) => e.event.type === "done").map((e) => e.at));
    const parts = { startup: firstCall - spawnedAt, read: start - firstCall, apply: end - start, finish: exitedAt - end };
    return { ms, parts, done: events.flatMap((e) => (e.event.type === "done" ? [e.event] : [])) };
  });
}

export async function azureFigures(nic: string): Promise<AzureFigures> {
  const p3 = await noop(nic);

  const loaded = loadConfig(CONFIG);
  const provider = await loadProvider(loaded, "deploy");
  const desired = [...provider.desired(loaded.config), ...(await kubernetesDesired(loaded.config, provider.clusterLinks?.(loaded.config) ?? { api: [] }))];
  const createPlan = plan(desired, new Map(), { resources: [] });
  const steps = stepsOf(createPlan);
  const measured: Array<{ ms: number; parts: AzureFigures["create_parts"] }> = [];
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
  const path = criticalPath(createPlan, costOf, { oneAtATime: AKS_SERIAL });
  const middle = [...measured].sort((a, b) => a.ms - b.ms)[Math.floor(measured.length / 2)]!;
  const bound_parts = { sign_in: AZURE_LATENCY_MS, read: AZURE_LATENCY_MS, path: round(path.cost) };
  return {
    ...p3,
    create_ms: round(middle.ms),
    create_parts: Object.fromEntries(Object.entries(middle.parts).map(([k, v]) => [k, round(v)])) as AzureFigures["create_parts"],
    bound_ms: round(bound_parts.sign_in + bound_parts.read + path.cost),
    bound_parts,
    chain: path.steps.map((s) => ({ address: s.address, operation: s.operation, ms: round(costOf(s)) })),
  };
}

if (import.meta.main) console.log(JSON.stringify(await azureFigures(process.argv[2] ?? "dist/nic"), null, 2));
