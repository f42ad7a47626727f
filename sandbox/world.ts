// The shared in-memory world every service module reads and writes. One table per resource type,
// keyed by id; optionally persisted to a JSON file (debounced) so the sandbox survives a restart.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export type Tags = Record<string, string>;

/** Every stored resource has a type ("ec2:vpc"), an id, and tags; services add their own fields. */
export interface Resource {
  type: string;
  id: string;
  name?: string;
  tags: Tags;
}

/** Transition delays in milliseconds, settable through the control API. */
export const DEFAULT_DELAYS = {
  eksClusterCreate: 2000,
  eksClusterDelete: 2000,
  eksNodegroupCreate: 1000,
  eksNodegroupDelete: 1000,
  eksAddonCreate: 200,
  eksAddonDelete: 200,
  efsCreate: 500,
  efsDelete: 200,
  /** How long node-group ENIs stay in their subnets after the node group is gone. */
  eniLinger: 1000,
  /** Mount targets: efsCreate unless set. */
  efsMountTargetCreate: undefined as number | undefined,
  /** How long after its creation an IAM role cannot be assumed yet (eventual consistency). */
  iamPropagation: 0,
  /** The cluster Kubernetes APIs' delays (sandbox/kubernetes defaults unless set). */
  kubeCrdEstablished: undefined as number | undefined,
  kubeWorkloadReady: undefined as number | undefined,
};
export type Delays = typeof DEFAULT_DELAYS;

export class World {
  readonly account = "123456789012";
  /** The region of the latest regional request (from its SigV4 scope); the world is one region at a time. */
  region = "us-west-2";
  delays: Delays = { ...DEFAULT_DELAYS };
  private tables = new Map<string, Map<string, Resource>>();
  private nextDue = Number.POSITIVE_INFINITY;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly stateFile?: string) {
    if (stateFile && existsSync(stateFile)) this.load(JSON.parse(readFileSync(stateFile, "utf8")));
  }

  table<T extends Resource>(type: string): Map<string, T> {
    let t = this.tables.get(type);
    if (!t) this.tables.set(type, (t = new Map()));
    return t as Map<string, T>;
  }

  put<T extends Resource>(r: T): T {
    this.table<T>(r.type).set(r.id, r);
    this.changed();
    return r;
  }

  remove(type: string, id: string): void {
    this.tables.get(type)?.delete(id);
    this.changed();
  }

  /** Ask for settle() to run the services' transition hooks at or after `at` (epoch ms). */
  due(at: number): void {
    if (at < this.nextDue) this.nextDue = at;
  }

  /** True when some transition is due; the caller then runs the hooks and they re-register what remains. */
  takeDue(now = Date.now()): boolean {
    if (now < this.nextDue) return false;
    this.nextDue = Number.POSITIVE_INFINITY;
    return true;
  }

  all(): Resource[] {
    return [...this.tables.values()].flatMap((t) => [...t.values()]);
  }

  inventory() {
    return this.all().map((r) => ({ type: r.type, id: r.id, name: r.name, tags: r.tags }));
  }

  reset(): void {
    this.tables.clear();
    this.nextDue = Number.POSITIVE_INFINITY;
    this.changed();
  }

  /** Replace the world with the resources of a dump or fixture ({resources: Resource[]}). */
  load(doc: { resources?: Resource[]; delays?: Partial<Delays> }): void {
    this.tables.clear();
    for (const r of doc.resources ?? []) this.table(r.type).set(r.id, r);
    if (doc.delays) this.delays = { ...this.delays, ...doc.delays };
    this.nextDue = 0;
    this.changed();
  }

  dump() {
    return { resources: this.all(), delays: this.delays };
  }

  changed(): void {
    if (!this.stateFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), 50);
  }

  save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.stateFile) return;
    writeFileSync(this.stateFile + ".tmp", JSON.stringify(this.dump()));
    renameSync(this.stateFile + ".tmp", this.stateFile);
  }
}

const HEX = "0123456789abcdef";
export function hex(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += HEX[(Math.random() * 16) | 0];
  return s;
}

/** AWS-style resource id: vpc-0a1b2c3d4e5f67890 (17 hex digits after the prefix). */
export function awsId(prefix: string): string {
  return `${prefix}-0${hex(16)}`;
}

export function uuid(): string {
  return crypto.randomUUID();
}
