// R1 at the level of real runs, shared by the test and `make soak`: 8 compiled `nic deploy` processes start at once against
// one state location. Each deploys the demo config with a different max_nodes for the "user" node group, so every holder
// changes something and a lost update shows: the state and the sandbox must end with the last holder's value.
import { DescribeNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { State } from "../../src/state/format.ts";
import { openBackend } from "../../src/state/open.ts";
import { readState } from "../../src/state/store.ts";
import { startEmulators, type BackendCase, type Emulators } from "../state/emulators.ts";
import { NIC, requireBinary } from "../helpers/binary.ts";
import { DEMO, Stack } from "./stack.ts";

export const PROCESSES = 8;
/** Long enough for 7 others to deploy first, on a loaded machine. */
const LOCK_TIMEOUT = "10m";

/** What one process did. `value` is the max_nodes its config asks for. */
export interface ProcessRun {
  value: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** The state as a checker needs it: serial, deploy count and the node group's max_nodes. */
export interface StateFacts {
  serial: number;
  deployCount: number;
  value: number | undefined;
}

export interface TrialEvidence {
  runs: ProcessRun[];
  /** The state before the trial; undefined when there was none. */
  before: StateFacts | undefined;
  /** The state after the trial; undefined when it is missing or does not parse. */
  after: StateFacts | undefined;
  /** max_nodes of the node group in the sandbox. */
  live: number | undefined;
  untracked: string[];
  duplicates: string[];
}

export interface Hold {
  pid: number;
  value: number;
  lockId: string;
  acquired: number;
  releasing: number;
  /** The state serial the run's result reports. */
  serial: number | undefined;
}

export interface TrialCheck {
  /** Every lock hold, in the order it was taken. */
  holds: Hold[];
  /** Everything that went wrong; empty when the trial passed. */
  violations: string[];
}

/** Pure: judges a trial from the processes' logs and results and the final state and sandbox. */
export function checkTrial(e: TrialEvidence): TrialCheck {
  const violations: string[] = [];
  const holds: Hold[] = [];
  for (const run of e.runs) {
    if (run.code !== 0) violations.push(`deploy of max_nodes=${run.value} exited ${run.code}: ${errorOf(run.stdout)}`);
    const events = logLines(run.stderr).filter((l) => l.message === "State lock acquired" || l.message === "State lock releasing");
    const acquired = events.filter((l) => l.message === "State lock acquired");
    const releasing = events.filter((l) => l.message === "State lock releasing");
    const [take, give] = [acquired[0], releasing[0]];
    if (!take || !give || acquired.length !== 1 || releasing.length !== 1 || take.lock_id !== give.lock_id) {
      violations.push(`deploy of max_nodes=${run.value} logged ${acquired.length} lock acquisitions and ${releasing.length} releases (expected one matching pair)`);
      continue;
    }
    holds.push({ pid: take.pid, value: run.value, lockId: take.lock_id, acquired: Date.parse(take.time), releasing: Date.parse(give.time), serial: resultOf(run.stdout)?.state?.serial ?? undefined });
  }
  holds.sort((a, b) => a.acquired - b.acquired);

  // Logged inside the hold, so two holds may touch (same millisecond) but never overlap.
  for (const [i, a] of holds.entries())
    for (const b of holds.slice(i + 1))
      if (a.acquired < b.releasing && b.acquired < a.releasing) violations.push(`pid ${b.pid} acquired the lock at ${iso(b.acquired)} while pid ${a.pid} held it (until ${iso(a.releasing)})`);

  let serial = e.before?.serial ?? 0;
  for (const h of holds) {
    if (h.serial === undefined) continue;
    if (h.serial <= serial) violations.push(`pid ${h.pid} ended at serial ${h.serial}, not above ${serial} written before it: an update was lost`);
    serial = Math.max(serial, h.serial);
  }

  const last = holds.at(-1);
  if (!e.after) violations.push("the final state is missing or corrupt");
  else {
    const expected = (e.before?.deployCount ?? 0) + e.runs.length;
    if (e.after.deployCount !== expected) violations.push(`final deploy_count ${e.after.deployCount}, expected ${expected}: an update was lost`);
    if (e.after.serial !== serial) violations.push(`final serial ${e.after.serial}, but the last holder reported ${serial}`);
    if (last && e.after.value !== last.value) violations.push(`state has max_nodes=${e.after.value}, the last holder (pid ${last.pid}) deployed ${last.value}: an update was lost`);
  }
  if (last && e.live !== last.value) violations.push(`sandbox has max_nodes=${e.live}, the last holder (pid ${last.pid}) deployed ${last.value}`);
  for (const u of e.untracked) violations.push(`untracked in the sandbox: ${u}`);
  for (const d of e.duplicates) violations.push(`duplicate in the sandbox: ${d}`);
  return { holds, violations };
}

export interface TrialResult extends TrialCheck {
  ms: number;
  /** What the runs printed (result documents, debug logs) and the final state, for the secret scan (R5). */
  written: Array<{ source: string; text: string }>;
}

/** One AWS sandbox for the cloud, the five state backends, and a fresh state location per backend. */
export class DeployRace {
  private constructor(
    readonly stack: Stack,
    private readonly emulators: Emulators,
  ) {}
  private backend: BackendCase | undefined;
  private location = "";
  private trials = 0;

  static async start(): Promise<DeployRace> {
    const stack = await Stack.start();
    try {
      return new DeployRace(stack, await startEmulators());
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  get backends(): string[] {
    return this.emulators.cases.map((c) => c.name);
  }

  /** An empty cloud and an empty state on `name`: the next trial creates the stack, later ones update it. */
  async use(name: string): Promise<void> {
    this.backend = this.emulators.cases.find((c) => c.name === name);
    if (!this.backend) throw new Error(`no backend ${name}; have ${this.backends.join(", ")}`);
    await this.stack.reset();
    this.location = await this.backend.newLocation();
    this.trials = 0;
  }

  /**
   * The cloud is the stack's sandbox; the state lives on the backend's emulator. The S3 cases' emulator is another sandbox,
   * so only its S3 (and DynamoDB) endpoints are taken from it.
   */
  get env(): Record<string, string> {
    const b = this.backend!.env;
    const state = b.AWS_ENDPOINT_URL ? { AWS_ENDPOINT_URL_S3: b.AWS_ENDPOINT_URL_S3 ?? b.AWS_ENDPOINT_URL, ...(b.AWS_ENDPOINT_URL_DYNAMODB && { AWS_ENDPOINT_URL_DYNAMODB: b.AWS_ENDPOINT_URL_DYNAMODB }) } : b;
    return { ...this.stack.env, ...state };
  }

  /** 8 deploys at once; trials alternate between two disjoint ranges of max_nodes so every holder changes the value. */
  async trial(): Promise<TrialResult> {
    requireBinary();
    const base = 10 + (this.trials++ % 2) * PROCESSES;
    const before = factsOf(await this.state());
    const configs = Array.from({ length: PROCESSES }, (_, i) => this.writeConfig(i, base + i));
    const started = performance.now();
    const runs = await Promise.all(
      configs.map(async ({ file, value }) => {
        const child = Bun.spawn([NIC, "deploy", "-f", file, "--state", this.location, "--lock-timeout", LOCK_TIMEOUT, "--format", "json", "--log-level", "debug"], { env: this.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
        const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
        return { value, code, stdout, stderr };
      }),
    );
    const ms = performance.now() - started;
    const final = await this.state();
    const untracked = await this.stack.untrackedIn(JSON.stringify(final ?? {}));
    const check = checkTrial({ runs, before, after: factsOf(final), live: await this.liveValue(), untracked, duplicates: await this.stack.duplicates() });
    const written = [
      ...runs.flatMap((r, i) => [{ source: `deploy ${i} stdout`, text: r.stdout }, { source: `deploy ${i} stderr (debug, JSON)`, text: r.stderr }]),
      { source: "final state", text: JSON.stringify(final ?? {}) },
    ];
    return { ...check, ms, written };
  }

  stop(): Promise<void> {
    return Promise.all([this.stack.stop(), this.emulators.stop()]).then(() => {});
  }

  /** Each process gets its own project folder, so outputs.json and the kubeconfig are its own too. */
  private writeConfig(i: number, value: number): { file: string; value: number } {
    const dir = join(this.stack.dir, `deploy-${i}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "nebari-config.yaml");
    writeFileSync(file, withUserMaxNodes(value));
    return { file, value };
  }

  /** The stored state; undefined when there is none or it does not parse. */
  private async state(): Promise<State | undefined> {
    try {
      return (await readState(await openBackend(this.location, this.env)))?.state;
    } catch {
      return undefined;
    }
  }

  private async liveValue(): Promise<number | undefined> {
    const eks = new EKSClient({ region: "us-east-1", endpoint: this.stack.sandbox.awsEndpoint, credentials: { accessKeyId: this.env.AWS_ACCESS_KEY_ID ?? "", secretAccessKey: this.env.AWS_SECRET_ACCESS_KEY ?? "" } });
    try {
      const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: "nicdemo-dev", nodegroupName: "user" }));
      return nodegroup?.scalingConfig?.maxSize;
    } catch {
      return undefined;
    }
  }
}

function factsOf(state: State | undefined): StateFacts | undefined {
  if (!state) return undefined;
  const scaling = state.resources["aws/eks_node_group/user"]?.attributes.scaling as { max_size?: number } | undefined;
  return { serial: state.serial, deployCount: state.metadata.deploy_count, value: scaling?.max_size };
}

/** The demo config with the "user" node group's max_nodes set to `value`. */
export function withUserMaxNodes(value: number): string {
  const changed = DEMO.replace(/(\n {4}user:\n(?: {6}.*\n)*? {6}max_nodes: )\d+/, `$1${value}`);
  if (changed === DEMO) throw new Error("the demo config has no user node group with max_nodes");
  return changed;
}

interface LogLine {
  message: string;
  time: string;
  pid: number;
  lock_id: string;
}

function logLines(stderr: string): LogLine[] {
  return stderr.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

function resultOf(stdout: string): { state?: { serial?: number | null }; error?: { code?: string; message?: string } } | undefined {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

function errorOf(stdout: string): string {
  const error = resultOf(stdout)?.error;
  return error ? `${error.code}: ${error.message}` : stdout.slice(0, 200);
}

const iso = (ms: number) => new Date(ms).toISOString();
