// plan(): desired × actual × state → the actions that make actual match desired. Pure: plain data in, plain data out.
import { NicError } from "../cli/errors.ts";
import { compareFields, matchesPattern, parsePath } from "./compare.ts";
import { dependenciesOf, readField, resolveRefs, unknown } from "./refs.ts";
import type { Actual, Address, Change, Resource, StateView } from "./types.ts";

export type Action = "create" | "update" | "replace" | "delete" | "no-op";

export interface PlanEntry {
  address: Address;
  kind: string;
  action: Action;
  /** Field-level differences (before = actual, after = desired). For a create, every desired field. */
  changes: Change[];
  /** What must exist first (for a delete: what the state says it depended on). */
  dependsOn: Address[];
  /** The desired resource, refs unresolved (apply resolves them). Absent for a delete. */
  desired?: Resource;
  /** What observe() found. Absent for a create, and for a delete of something already gone. */
  actual?: Actual;
  /** Why this action, when it is not obvious (a forced replacement, a resource gone from the cloud). */
  reason?: string;
  /** Found in the cloud but not in state: apply records it in state. */
  adopt?: boolean;
}

/** A refusal: the plan cannot be applied as is. */
export interface PlanError {
  address: Address;
  code: "REPLACE_PROTECTED";
  message: string;
  /** The fields whose change forces the replacement. */
  fields: string[];
}

export interface PlanSummary {
  add: number;
  change: number;
  replace: number;
  destroy: number;
}

export interface Plan {
  entries: PlanEntry[];
  errors: PlanError[];
  summary: PlanSummary;
}

export interface PlanOptions {
  /** Allow replacing protected (data-bearing or identity) resources. */
  allowReplace?: boolean;
}

export function plan(
  desired: readonly Resource[],
  actual: ReadonlyMap<Address, Actual>,
  state: Pick<StateView, "resources">,
  opts: PlanOptions = {},
): Plan {
  const tracked = new Map(state.resources.map((t) => [t.address, t]));
  const entries = new Map<Address, PlanEntry>();
  const errors: PlanError[] = [];

  for (const resource of dependencyOrder(desired)) {
    const entry = planResource(resource, actual.get(resource.address), tracked.has(resource.address), entries);
    if (entry.action === "replace" && resource.protected && !opts.allowReplace) errors.push(refusal(entry));
    entries.set(resource.address, entry);
  }

  const gone = state.resources.filter((t) => !entries.has(t.address));
  for (const t of reverseDependencyOrder(gone)) {
    const found = actual.get(t.address);
    entries.set(t.address, {
      address: t.address,
      kind: t.kind,
      action: "delete",
      changes: [],
      dependsOn: t.dependsOn ?? [],
      ...(found ? { actual: found } : { reason: `already gone from ${whereItRuns(t.address)}; it is only removed from state` }),
      ...(found?.deleting && { reason: "already being deleted; waiting until it is gone" }),
    });
  }

  const list = [...entries.values()];
  return { entries: list, errors, summary: summarize(list) };
}

/** Kubernetes objects (k8s/…) live in a cluster, everything else in the cloud: said so in a plan's reasons. */
const whereItRuns = (address: Address) => (address.startsWith("k8s/") ? "the cluster" : "the cloud");

function planResource(resource: Resource, found: Actual | undefined, inState: boolean, planned: Map<Address, PlanEntry>): PlanEntry {
  const base = { address: resource.address, kind: resource.kind, dependsOn: dependenciesOf(resource), desired: resource };
  // A ref to something created or replaced in this run is only known after apply.
  const attributes = resolveRefs(resource.attributes, (r) => {
    const target = planned.get(r.$ref);
    return !target?.actual || target.action === "create" || target.action === "replace" ? unknown(r) : readField(target.actual, r.field);
  });

  if (!found || found.deleting) {
    const { changes } = compareFields(attributes, undefined);
    if (found) return { ...base, action: "create", changes, actual: found, reason: "being deleted in the cloud: created again once it is gone" };
    return { ...base, action: "create", changes, ...(inState && { reason: `in state but gone from ${whereItRuns(resource.address)}` }) };
  }

  const immutable = (resource.immutableFields ?? []).map(parsePath);
  const changes = compareFields(attributes, found.attributes, resource.ignoreFields).changes.map((c) =>
    immutable.some((p) => matchesPattern(p, c.segments)) ? { ...c, forcesReplacement: true } : c,
  );
  const forcing = changes.filter((c) => c.forcesReplacement).map((c) => c.path);
  const action = forcing.length ? "replace" : changes.length ? "update" : "no-op";
  return {
    ...base,
    action,
    changes,
    actual: found,
    ...(forcing.length && { reason: `changing ${forcing.join(", ")} forces replacement` }),
    ...(!inState && { adopt: true }),
  };
}

function refusal(entry: PlanEntry): PlanError {
  const fields = entry.changes.filter((c) => c.forcesReplacement).map((c) => c.path);
  return {
    address: entry.address,
    code: "REPLACE_PROTECTED",
    fields,
    message:
      `${entry.address} would be replaced because ${entry.reason}, but it is protected (it holds data or identity). ` +
      "Revert the change, or rerun with --allow-replace to destroy and recreate it.",
  };
}

export function summarize(entries: readonly PlanEntry[]): PlanSummary {
  const count = (action: Action) => entries.filter((e) => e.action === action).length;
  return { add: count("create"), change: count("update"), replace: count("replace"), destroy: count("delete") };
}

export function hasChanges(p: Plan): boolean {
  return p.entries.some((e) => e.action !== "no-op");
}

/** Dependencies first; among independent resources, the order they were given in. */
function dependencyOrder(desired: readonly Resource[]): Resource[] {
  const byAddress = new Map<Address, Resource>();
  for (const r of desired) {
    if (byAddress.has(r.address)) throw bug(`the address ${r.address} is desired twice`);
    byAddress.set(r.address, r);
  }
  return topologicalOrder(desired, (r) => {
    const deps = dependenciesOf(r);
    const missing = deps.filter((d) => !byAddress.has(d));
    if (missing.length) throw bug(`${r.address} depends on ${missing.join(", ")}, which is not desired`);
    return deps;
  }).map((a) => byAddress.get(a) as Resource);
}

/** Dependents first (they must be deleted before what they depend on); ties by address. */
function reverseDependencyOrder<T extends { address: Address; dependsOn?: Address[] }>(items: readonly T[]): T[] {
  const sorted = [...items].sort((a, b) => a.address.localeCompare(b.address));
  const present = new Set(sorted.map((i) => i.address));
  const dependents = new Map<Address, Address[]>();
  for (const i of sorted) {
    for (const d of i.dependsOn ?? []) if (present.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), i.address]);
  }
  const byAddress = new Map(sorted.map((i) => [i.address, i]));
  return topologicalOrder(sorted, (i) => dependents.get(i.address) ?? []).map((a) => byAddress.get(a) as T);
}

/** Each item after everything `before(item)` lists, and otherwise in input order (a depth-first walk). */
function topologicalOrder<T extends { address: Address }>(items: readonly T[], before: (item: T) => Address[]): Address[] {
  const byAddress = new Map(items.map((i) => [i.address, i]));
  const order: Address[] = [];
  const mark = new Map<Address, "visiting" | "done">();
  const visit = (item: T, path: Address[]): void => {
    if (mark.get(item.address) === "done") return;
    if (mark.get(item.address) === "visiting") {
      throw bug(`the resources ${[...path.slice(path.indexOf(item.address)), item.address].join(" → ")} depend on each other in a cycle`);
    }
    mark.set(item.address, "visiting");
    for (const a of before(item)) visit(byAddress.get(a) as T, [...path, item.address]);
    mark.set(item.address, "done");
    order.push(item.address);
  };
  for (const item of items) visit(item, []);
  return order;
}

function bug(message: string): NicError {
  return new NicError("INTERNAL_ERROR", `The provider described an impossible resource graph: ${message}.`, {
    recovery: ["This is a bug in NIC. Please report it with the configuration (secrets removed)."],
  });
}
