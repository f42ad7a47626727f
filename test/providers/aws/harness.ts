// The AWS kinds against the in-process sandbox through the real engine: observe → plan → apply, with the state
// kept in memory, and the sandbox's call log read through its control API.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../../sandbox/index.ts";
import { loadConfig } from "../../../src/config/load.ts";
import type { NebariConfig } from "../../../src/config/model.ts";
import { apply, type ApplyOptions, type ApplyResult } from "../../../src/engine/apply.ts";
import { observe } from "../../../src/engine/observe.ts";
import { plan, type Plan } from "../../../src/engine/plan.ts";
import type { Actual, ResourceKind, Tracked } from "../../../src/engine/types.ts";
import type { AwsOptions } from "../../../src/providers/aws/clients.ts";
import { awsKinds, awsRetryClassifier, desiredResources } from "../../../src/providers/aws/index.ts";

export function configFrom(yaml: string): NebariConfig {
  const dir = mkdtempSync(join(tmpdir(), "nic-aws-config-"));
  const file = join(dir, "nebari-config.yaml");
  writeFileSync(file, yaml);
  return loadConfig(file, { env: {} }).config;
}

export interface Call {
  service: string;
  action: string;
  status: number;
}

/** Credentials and an endpoint for replayed runs: requests are signed but never sent. */
export const REPLAY_ENV = { AWS_ACCESS_KEY_ID: "AKIAREPLAY", AWS_SECRET_ACCESS_KEY: "replay", AWS_ENDPOINT_URL: "http://replay.invalid" };

export class Deployment {
  state: Tracked[] = [];
  readonly kinds: ResourceKind[];

  /** Against `sandbox`; `aws` overrides the provider options (a recording or replaying request handler). */
  constructor(private readonly box: Sandbox | undefined, aws: Partial<AwsOptions> = {}) {
    this.kinds = awsKinds({ region: "us-west-2", env: box?.env ?? REPLAY_ENV, ...aws });
  }

  get sandbox(): Sandbox {
    if (!this.box) throw new Error("this deployment replays a recording: it has no sandbox");
    return this.box;
  }

  /** A fresh sandbox with short transition delays. */
  static async start(aws: Partial<AwsOptions> = {}): Promise<Deployment> {
    const delays = { eksClusterCreate: 300, eksClusterDelete: 100, eksNodegroupCreate: 200, eksNodegroupDelete: 100, eksAddonCreate: 50, efsCreate: 100, eniLinger: 200 };
    return new Deployment(await startSandbox({ delays }), aws);
  }

  async plan(config: NebariConfig): Promise<{ plan: Plan; actual: Map<string, Actual> }> {
    const desired = desiredResources(config);
    const actual = await observe(this.kinds, desired, this.state, new AbortController().signal);
    return { plan: plan(desired, actual, { resources: this.state }), actual };
  }

  /** Observe, plan and apply; `signal` lets a test stop the run half-way, like a killed process. */
  async deploy(config: NebariConfig, opts: { signal?: AbortSignal; onEvent?: ApplyOptions["onEvent"] } = {}): Promise<{ plan: Plan; result: ApplyResult }> {
    const { plan: p } = await this.plan(config);
    const result = await apply(p, {
      ...opts,
      kinds: this.kinds,
      retry: { classify: awsRetryClassifier },
      onResourceDone: (address, actual, entry) => {
        this.state = this.state.filter((t) => t.address !== address);
        if (actual) this.state.push({ address, kind: entry.kind, dependsOn: entry.dependsOn, ...actual });
      },
    });
    return { plan: p, result };
  }

  async control(path: string, init?: RequestInit): Promise<any> {
    const r = await fetch(`${this.sandbox.controlEndpoint}${path}`, init);
    return r.json();
  }

  async clearCalls(): Promise<void> {
    await this.control("/calls", { method: "DELETE" });
  }

  async calls(): Promise<Call[]> {
    return (await this.control("/calls")).calls;
  }

  async inventory(): Promise<{ type: string; id: string; name?: string; tags: Record<string, string> }[]> {
    return (await this.control("/inventory")).resources;
  }

  async stop(): Promise<void> {
    await this.box?.stop();
  }
}

/** Mutating calls: everything but reads. */
export const isMutating = (c: Call) => !/^(Describe|Get|List)/.test(c.action);
