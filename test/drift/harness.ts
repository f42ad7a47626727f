// A deployed NIC stack on the in-process sandbox, as `nic deploy` makes it (both phases, file state), plus the means to
// change it behind NIC's back: the sandbox's control API for the cloud, the cluster's API for Kubernetes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { createLogger, type Logger } from "../../src/cli/log.ts";
import { loadConfig, type LoadedConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/deploy/deploy.ts";
import type { DeployProvider } from "../../src/deploy/provider.ts";
import type { TaskContext } from "../../src/cli/task.ts";
import { kubernetesConnection, loadProvider } from "../../src/deploy/phases.ts";
import { KubeClient } from "../../src/kubernetes/client.ts";
import type { StateBackend } from "../../src/state/backend.ts";
import type { State } from "../../src/state/format.ts";
import { openBackend } from "../../src/state/open.ts";
import { requireState } from "../../src/state/store.ts";

export const CONFIG = `project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.33'
  node_groups:
    general: {instance: t3.xlarge, min_nodes: 1, max_nodes: 1}
    user: {instance: t3.large, min_nodes: 0, max_nodes: 5}
`;

export const FAST = { eksClusterCreate: 200, eksClusterDelete: 100, eksNodegroupCreate: 100, eksNodegroupDelete: 100, eksAddonCreate: 50, eksAddonDelete: 50, efsCreate: 100, efsDelete: 50, eniLinger: 300 };

export class Stack {
  private constructor(
    readonly sandbox: Sandbox,
    readonly dir: string,
    readonly configPath: string,
    readonly statePath: string,
    readonly loaded: LoadedConfig,
    readonly provider: DeployProvider,
    readonly backend: StateBackend,
  ) {}

  static async start(yaml = CONFIG): Promise<Stack> {
    const sandbox = await startSandbox({ delays: FAST });
    const dir = mkdtempSync(join(tmpdir(), "nic-drift-"));
    const configPath = join(dir, "nebari-config.yaml");
    writeFileSync(configPath, yaml);
    const loaded = loadConfig(configPath, { env: {} });
    const statePath = join(dir, "nic-state.json");
    return new Stack(sandbox, dir, configPath, statePath, loaded, await loadProvider(loaded, "test"), await openBackend(statePath, sandbox.env));
  }

  get env(): Record<string, string> {
    return this.sandbox.env;
  }

  log(): Logger {
    return createLogger({ format: "json", level: "error", write: () => {} });
  }

  /** What a task receives for `nic <command> -f config --state path` with these flags. */
  context(flags: Record<string, string | boolean> = {}): TaskContext {
    return { flags: { config: this.configPath, state: this.statePath, "lock-timeout": "0s", ...flags }, positionals: [], format: "json", log: this.log(), env: this.env, cwd: this.dir };
  }

  /** Runs the CLI as a subprocess against the sandbox. */
  cli(args: string[]) {
    return Bun.spawn([process.execPath, "src/main.ts", ...args, "-f", this.configPath, "--state", this.statePath], {
      cwd: `${import.meta.dir}/../..`,
      env: { ...process.env, ...this.env, NO_COLOR: "1" },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
  }

  async run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const proc = this.cli(args);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { code, stdout, stderr };
  }

  async deploy(dryRun = false): Promise<void> {
    await deploy(this.loaded, this.provider, this.backend, {
      dryRun,
      allowReplace: false,
      rollbackOnFailure: false,
      forceConflicts: false,
      lockTimeoutMs: 0,
      paths: { outputs: join(this.dir, "outputs.json"), kubeconfig: join(this.dir, "kubeconfig") },
      env: this.env,
      log: this.log(),
    });
  }

  async state(): Promise<State> {
    return (await requireState(this.backend)).state;
  }

  /** The cluster's API as kubectl would use it. */
  async kubectl(): Promise<KubeClient> {
    return new KubeClient(await kubernetesConnection(this.loaded, this.provider, await this.state(), this.env));
  }

  async control(path: string, body?: unknown): Promise<any> {
    const init = body === undefined ? {} : { method: "POST", body: JSON.stringify(body) };
    return (await fetch(`${this.sandbox.controlEndpoint}${path}`, init)).json();
  }

  async mutate(change: Record<string, unknown>): Promise<void> {
    const r = await this.control("/mutate", change);
    if (!r.success) throw new Error(`mutate failed: ${r.error}`);
  }

  async inventory(): Promise<Array<{ type: string; id: string; name?: string; tags: Record<string, string> }>> {
    return (await this.control("/inventory")).resources;
  }

  async awsCalls(): Promise<number> {
    return (await this.control("/calls")).calls.length;
  }

  async clearCalls(): Promise<void> {
    await fetch(`${this.sandbox.controlEndpoint}/calls`, { method: "DELETE" });
  }

  async stop(): Promise<void> {
    await this.sandbox.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
