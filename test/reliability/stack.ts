// The demo AWS stack on an in-process sandbox, deployed by the compiled binary; shared by the fault tests and bench/soak.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import type { FaultRule } from "../../sandbox/faults.ts";
import { NIC, nicAsync, requireBinary, type Run } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import type { Random } from "./generate.ts";

export const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml"), "utf8");
export const FAST_DELAYS = { eksClusterCreate: 100, eksNodegroupCreate: 50, eksAddonCreate: 20, efsCreate: 20 };
export const AWS_SERVICES = ["ec2", "iam", "sts", "eks", "elasticfilesystem", "ecr", "resource-groups", "autoscaling", "s3", "elasticloadbalancing"];

export interface InventoryItem {
  type: string;
  id: string;
  name?: string;
  tags: Record<string, string>;
}

export class Stack {
  private constructor(readonly sandbox: Sandbox) {}
  dir = "";

  static async start(): Promise<Stack> {
    return new Stack(await startSandbox({ delays: FAST_DELAYS }));
  }

  /** An empty cloud, no faults, and a fresh project folder holding the demo config. */
  async reset(): Promise<void> {
    await this.control("/reset", { method: "POST" });
    await this.control("/delays", { method: "PUT", body: JSON.stringify(FAST_DELAYS) });
    this.dir = tempDir("nic-reliability-");
    writeFileSync(this.config, DEMO);
  }

  get config(): string {
    return join(this.dir, "nebari-config.yaml");
  }

  get statePath(): string {
    return join(this.dir, ".nebari/stages/02-infrastructure/nic-state.json");
  }

  deploy(...args: string[]): Promise<Run> {
    return nicAsync(["deploy", "-f", this.config, "--format", "json", ...args], this.env);
  }

  /** A deploy the caller can kill. */
  spawnDeploy(): Bun.Subprocess<"ignore", "pipe", "pipe"> {
    requireBinary();
    return Bun.spawn([NIC, "deploy", "-f", this.config, "--format", "json"], { env: this.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  }

  get env(): Record<string, string> {
    return { PATH: process.env.PATH ?? "", ...this.sandbox.env, HOME: this.dir };
  }

  async control(path: string, init?: RequestInit): Promise<any> {
    return (await fetch(`${this.sandbox.controlEndpoint}${path}`, init)).json();
  }

  async addFault(rule: FaultRule): Promise<void> {
    await this.control("/faults", { method: "POST", body: JSON.stringify(rule) });
  }

  /**
   * The sandbox's rules hit the Nth call, not a share of calls, so a rate is drawn per call number up front:
   * each of the first `calls` calls of every service is throttled with probability `throttle`, else fails with a 5xx
   * with probability `serverError`; every call also gets up to `jitterMs` of latency.
   */
  async injectNoise(r: Random, opts = { throttle: 0.1, serverError: 0.05, jitterMs: 40, calls: 600 }): Promise<void> {
    await this.addFault({ kind: "latency", latencyMs: 5, jitterMs: opts.jitterMs });
    for (const service of AWS_SERVICES)
      for (let nth = 1; nth <= opts.calls; nth++) {
        const roll = r.next();
        if (roll < opts.throttle) await this.addFault({ service, kind: "throttle", nth });
        else if (roll < opts.throttle + opts.serverError) await this.addFault({ service, kind: "error", code: r.pick(["InternalFailure", "ServiceUnavailable"]), status: r.pick([500, 503]), nth });
      }
  }

  /** How many injected faults actually hit a call (latency excluded). */
  async faultsHit(): Promise<number> {
    const { faults } = await this.control("/faults");
    return (faults as Array<{ kind: string; applied: number }>).filter((f) => f.kind !== "latency").reduce((n, f) => n + f.applied, 0);
  }

  async inventory(): Promise<InventoryItem[]> {
    return (await this.control("/inventory")).resources;
  }

  /** Resources in the sandbox that the state does not name, leaving out what AWS creates by itself alongside them. */
  async untracked(): Promise<string[]> {
    const state = readFileSync(this.statePath, "utf8");
    return (await this.inventory()).filter((r) => !state.includes(r.id) && !isImplicit(r)).map((r) => `${r.type}:${r.id}`);
  }

  /** Resources in the sandbox that `state` (a state file's text, from any backend) does not name, implicit ones left out. */
  async untrackedIn(state: string): Promise<string[]> {
    return (await this.inventory()).filter((r) => !state.includes(r.id) && !isImplicit(r)).map((r) => `${r.type}:${r.id}`);
  }

  /** Named resources the sandbox holds more than once (a create that ran twice), implicit ones left out. */
  async duplicates(): Promise<string[]> {
    const seen = new Map<string, number>();
    // EC2 records carry their name as a Name tag.
    for (const r of await this.inventory()) {
      const name = r.name ?? r.tags?.Name;
      if (name && !isImplicit(r)) seen.set(`${r.type}:${name}`, (seen.get(`${r.type}:${name}`) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
  }

  /** What the sandbox still holds apart from what AWS made by itself: empty after a complete destroy. */
  async leftovers(): Promise<string[]> {
    return (await this.inventory()).filter((r) => !isImplicit(r)).map((r) => `${r.type}:${r.id}`);
  }

  destroy(...args: string[]): Promise<Run> {
    return nicAsync(["destroy", "-f", this.config, "--yes", "--format", "json", ...args], this.env);
  }

  /** A destroy the caller can kill. */
  spawnDestroy(): Bun.Subprocess<"ignore", "pipe", "pipe"> {
    requireBinary();
    return Bun.spawn([NIC, "destroy", "-f", this.config, "--yes", "--format", "json"], { env: this.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  }

  stop(): Promise<void> {
    return this.sandbox.stop();
  }
}

/** Made by AWS with a VPC, cluster, node group or file system, and deleted with it. */
function isImplicit(r: InventoryItem): boolean {
  return ["ec2:network-acl", "ec2:network-interface", "autoscaling:group"].includes(r.type) || (r.type === "ec2:route-table" && !r.name && !r.tags?.Name) || (r.type === "ec2:security-group" && (r.name === "default" || r.name?.startsWith("eks-cluster-sg-")) === true);
}
