// The engine's vocabulary. A provider describes what it wants as Resources and teaches the engine each
// resource kind through the ResourceKind interface; the engine never imports a cloud SDK.

/** A stable logical address: `<provider>/<kind>/<name>`, e.g. `aws/eks_node_group/general`. */
export type Address = string;

/** Plain JSON data. Values may hold a Ref to another resource, resolved once that resource exists. */
export type Attributes = Record<string, unknown>;

/** A value known only once another resource exists, e.g. a subnet's `vpc_id`. Build it with `ref()`. */
export interface Ref {
  $ref: Address;
  /** `id`, `arn`, or a dotted path into the target's actual attributes. */
  field: string;
}

/** What the plan shows for a value that a create or replace will only reveal. */
export interface Unknown {
  $unknown: string;
}

/** One thing NIC wants to exist. */
export interface Resource {
  address: Address;
  /** The ResourceKind that manages it, e.g. `aws/eks_node_group`. */
  kind: string;
  /** The desired attributes: only the fields NIC manages (top-level keys absent here are never compared). */
  attributes: Attributes;
  /** Addresses that must exist first. Refs in `attributes` add theirs implicitly. */
  dependsOn?: Address[];
  /** Data-bearing or identity resources (VPC, EFS, cluster): never replaced without allowReplace. */
  protected?: boolean;
  /** Field patterns owned by someone else (e.g. `scaling.desired_size`, owned by the autoscaler). `*` matches within a segment. */
  ignoreFields?: string[];
  /** Field patterns whose change forces a replacement. */
  immutableFields?: string[];
  /** Shown beside the resource in every plan, when what NIC does with it is not obvious (a cluster it uses but never creates). */
  note?: string;
}

/** What observe() found in the cloud for one address. An address missing from the map is absent. */
export interface Actual {
  id: string;
  arn?: string;
  attributes: Attributes;
  /** The cloud is deleting it (a destroy was cut off): it still exists, and is going. */
  deleting?: boolean;
}

/** The state's record of a resource NIC manages (the state helper maps its own entries to this). */
export interface Tracked extends Actual {
  address: Address;
  kind: string;
  dependsOn?: Address[];
}

/** The part of the state the engine reads. */
export interface StateView {
  lineage: string;
  serial: number;
  resources: Tracked[];
}

/** One address to look for: the desired resource, the state's record, or both. */
export interface Lookup {
  address: Address;
  desired?: Resource;
  tracked?: Tracked;
}

export interface ObserveContext {
  signal: AbortSignal;
}

export interface OperationContext {
  signal: AbortSignal;
  /** Idempotency token for this operation (EKS `clientRequestToken`); the journal records it before the call. */
  requestToken: string;
}

export type Operation = "create" | "update" | "delete";

/** A field that differs between actual (before) and desired (after). */
export interface Change {
  /** Display path, e.g. `scaling.max_size` or `tags["kubernetes.io/cluster/x"]`. */
  path: string;
  /** The path's segments, for matching field patterns. */
  segments: string[];
  before: unknown;
  after: unknown;
  forcesReplacement?: boolean;
}

/**
 * A provider module implements one of these per resource kind. observe() receives every address of its kind at once
 * so it can read them in one batched call (one DescribeSubnets for all subnets).
 */
export interface ResourceKind {
  kind: string;
  observe(batch: Lookup[], ctx: ObserveContext): Promise<Map<Address, Actual>>;
  /** `resource.attributes` arrive with refs resolved. Returns as soon as the cloud has an id; wait() waits for readiness. */
  create(resource: Resource, ctx: OperationContext): Promise<Actual>;
  update(resource: Resource, actual: Actual, changes: Change[], ctx: OperationContext): Promise<Actual>;
  delete(actual: Actual, ctx: OperationContext): Promise<void>;
  /** Waits until the resource settles after an operation (ACTIVE, or gone after delete). Returns the settled actual. */
  wait?(actual: Actual, operation: Operation, ctx: OperationContext): Promise<Actual>;
  /** Upper bound for one operation, retries and wait included. */
  timeoutMs: number;
  /** Operations with the same key run one at a time (e.g. node groups of one cluster). */
  serialKey?(address: Address, attributes: Attributes): string | undefined;
  /**
   * Every operation may be repeated and observe() finds the object by its address (Kubernetes server-side apply):
   * a call cut off by a crash leaves nothing a rerun cannot find, so no intent is journaled.
   */
  idempotent?: boolean;
  /**
   * A repeated create() of one resource never makes a second: the API honours the token create() sends (EC2 ClientToken,
   * EKS clientRequestToken, EFS CreationToken), or it refuses a second of the same name and create() adopts the first. A
   * rerun then creates at once what a cut-off run was creating, instead of waiting for its request to end (deploy/journal.ts).
   */
  createsOnce?: boolean;
}
