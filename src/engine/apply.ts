// apply(): carries out a plan over its dependency graph with bounded concurrency, retries, timeouts,
// the intent journal around every mutating call, and state saved after each resource.
import { randomUUID } from "node:crypto";
import { NicError } from "../cli/errors.ts";
import { compareFields } from "./compare.ts";
import { deleteStepsOf, stepsOf, type Step } from "./graph.ts";
import type { Plan, PlanEntry } from "./plan.ts";
import { isPlainObject, readField, resolveRefs } from "./refs.ts";
import { untilAborted, withRetry, type RetryOptions } from "./retry.ts";
import type { Actual, Address, Change, Operation, OperationContext, Resource, ResourceKind } from "./types.ts";

/** What the journal records before a mutating call, so a crashed run can be recovered. */
export interface Intent {
  address: Address;
  kind: string;
  operation: Operation;
  requestToken: string;
  /** The cloud id, for updates and deletes. */
  id?: string;
}

/** How a journaled call ended. `unknown`: cancelled or timed out mid-call, so the cloud may or may not have done it. */
export type Outcome = { status: "done"; actual: Actual | null } | { status: "failed"; error: string } | { status: "unknown"; reason: string };

/** Implemented by the state helper; begin() returns an id that end() receives. */
export interface Journal {
  begin(intent: Intent): Promise<string> | string;
  end(intentId: string, outcome: Outcome): Promise<void> | void;
}

export type ApplyEvent =
  | { type: "started"; address: Address; operation: Operation; step: number; total: number }
  | { type: "waiting"; address: Address; operation: Operation; id: string }
  | { type: "retrying"; address: Address; operation: Operation; attempt: number; delayMs: number; error: string }
  | { type: "done"; address: Address; operation: Operation; elapsedMs: number }
  | { type: "failed"; address: Address; operation: Operation; error: string; elapsedMs: number }
  | { type: "skipped"; address: Address; operation: Operation; reason: string };

export interface ApplyOptions {
  kinds: readonly ResourceKind[];
  /** How many operations run at once. */
  parallelism?: number;
  journal?: Journal;
  /**
   * Called after each resource completes (actual null: it is gone), so the caller saves state; `entry` gives its kind
   * and dependencies. A throw stops the run.
   */
  onResourceDone?: (address: Address, actual: Actual | null, entry: PlanEntry) => Promise<void> | void;
  onEvent?: (event: ApplyEvent) => void;
  signal?: AbortSignal;
  retry?: RetryOptions;
  /** When something fails, delete what this run created. */
  rollbackOnFailure?: boolean;
  /** Idempotency tokens to send again: a create a cut-off run journaled may still be in flight with this token. */
  requestTokens?: ReadonlyMap<Address, string>;
}

export interface StepOutcomes {
  done: Array<{ address: Address; operation: Operation; actual: Actual | null }>;
  /** `actual`: the call succeeded (the resource exists and is in state) but it never settled. */
  failed: Array<{ address: Address; operation: Operation; error: string; cause: unknown; actual?: Actual }>;
  skipped: Array<{ address: Address; operation: Operation; reason: string }>;
}

export interface ApplyResult extends StepOutcomes {
  success: boolean;
  /** Found in the cloud and recorded in state without a cloud call. */
  adopted: Address[];
  rollback?: StepOutcomes;
}

export const DEFAULT_PARALLELISM = 16;

export async function apply(p: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  if (p.errors.length) {
    throw new NicError("INPUT_INVALID", `The plan cannot be applied: ${p.errors.map((e) => e.message).join(" ")}`, {
      details: { errors: p.errors },
      recovery: ["Revert the change that forces the replacement, or rerun with --allow-replace."],
    });
  }
  const kinds = kindsFor(p.entries, opts.kinds);
  const signal = opts.signal ?? new AbortController().signal;
  const emit = opts.onEvent ?? (() => {});
  // What each address is now: refs resolve against it as steps complete.
  const current = new Map<Address, Actual>();
  for (const e of p.entries) if (e.actual && (e.action === "no-op" || e.action === "update")) current.set(e.address, e.actual);

  const adopted = p.entries.filter((e) => e.adopt && e.action === "no-op");
  for (const e of adopted) await opts.onResourceDone?.(e.address, e.actual as Actual, e);

  let stateSaveFailed: unknown;
  const execute = async (s: Step, n: number, total: number) => {
    const kind = kinds.get(s.kind) as ResourceKind;
    const started = performance.now();
    emit({ type: "started", address: s.address, operation: s.operation, step: n, total });
    try {
      const closing: Closing = [];
      const actual = await runStep(s, kind, current, opts, signal, emit, closing);
      if (actual) current.set(s.address, actual);
      else current.delete(s.address);
      try {
        await Promise.all([...closing.map((end) => end()), opts.onResourceDone?.(s.address, actual, s.entry)]);
      } catch (err) {
        stateSaveFailed = err;
        throw new Error(`it was done, but the state could not be saved: ${messageOf(err)}`, { cause: err });
      }
      emit({ type: "done", address: s.address, operation: s.operation, elapsedMs: performance.now() - started });
      return actual;
    } catch (err) {
      emit({ type: "failed", address: s.address, operation: s.operation, error: messageOf(err), elapsedMs: performance.now() - started });
      throw err;
    }
  };
  const stopped = () =>
    signal.aborted ? "cancelled" : stateSaveFailed !== undefined ? "stopped: the state could not be saved" : undefined;
  const schedule = { parallelism: opts.parallelism ?? DEFAULT_PARALLELISM, kinds, stopped, emit };

  const outcomes = await runSteps(stepsOf(p), execute, schedule);
  const result: ApplyResult = { success: !outcomes.failed.length && !outcomes.skipped.length, adopted: adopted.map((e) => e.address), ...outcomes };

  // Only plain creates are rolled back: a replacement's old resource is gone already, so its new one stays.
  if (opts.rollbackOnFailure && !result.success && !stopped()) {
    const planned = new Map(p.entries.map((e) => [e.address, e]));
    const created: PlanEntry[] = [...outcomes.done, ...outcomes.failed].flatMap((d) => {
      const entry = planned.get(d.address) as PlanEntry;
      if (entry.action !== "create" || !d.actual) return [];
      return [{ ...entry, action: "delete", changes: [], desired: undefined, actual: d.actual }];
    });
    result.rollback = await runSteps(deleteStepsOf(created), execute, schedule);
  }
  return result;
}

interface Schedule {
  parallelism: number;
  kinds: Map<string, ResourceKind>;
  /** Why no new step may start, if so. */
  stopped: () => string | undefined;
  emit: (event: ApplyEvent) => void;
}

/**
 * Each step's cost plus that of the costliest chain of steps waiting on it. A kind's timeout stands in for its cost:
 * what may take half an hour (a cluster, a node group) is what usually takes longest.
 */
function chainCosts(steps: Step[], cost: (s: Step) => number): Map<string, number> {
  const dependents = new Map<string, Step[]>();
  for (const s of steps) for (const id of s.after) dependents.set(id, [...(dependents.get(id) ?? []), s]);
  const costs = new Map<string, number>();
  const of = (s: Step): number => {
    const known = costs.get(s.id);
    if (known !== undefined) return known;
    const total = cost(s) + Math.max(0, ...(dependents.get(s.id) ?? []).map(of));
    costs.set(s.id, total);
    return total;
  };
  for (const s of steps) of(s);
  return costs;
}

/** Runs steps as their predecessors finish, at most `parallelism` at once and one at a time per serial key, slowest chains first. */
async function runSteps(
  steps: Step[],
  execute: (s: Step, n: number, total: number) => Promise<Actual | null>,
  schedule: Schedule,
): Promise<StepOutcomes> {
  const outcomes: StepOutcomes = { done: [], failed: [], skipped: [] };
  const status = new Map(steps.map((s) => [s.id, "pending" as "pending" | "running" | "done" | "failed" | "skipped"]));
  const busyKeys = new Set<string>();
  const running = new Set<Promise<void>>();
  let started = 0;

  const skip = (s: Step, reason: string) => {
    status.set(s.id, "skipped");
    outcomes.skipped.push({ address: s.address, operation: s.operation, reason });
    schedule.emit({ type: "skipped", address: s.address, operation: s.operation, reason });
  };
  // When more steps are ready than may run, the ones heading the slowest chains go first.
  const urgency = chainCosts(steps, (s) => schedule.kinds.get(s.kind)?.timeoutMs ?? 1);
  const ordered = [...steps].sort((a, b) => (urgency.get(b.id) as number) - (urgency.get(a.id) as number));
  const pending = () => ordered.filter((s) => status.get(s.id) === "pending");

  for (;;) {
    // Dependents of what failed or was skipped are skipped, transitively.
    for (let more = true; more; ) {
      more = false;
      for (const s of pending()) {
        const blocker = s.after.find((id) => ["failed", "skipped"].includes(status.get(id) as string));
        if (!blocker) continue;
        skip(s, `${blocker} did not complete`);
        more = true;
      }
    }
    const stop = schedule.stopped();
    if (stop) for (const s of pending()) skip(s, stop);

    for (const s of pending()) {
      if (running.size >= schedule.parallelism) break;
      if (!s.after.every((id) => status.get(id) === "done")) continue;
      const attributes = s.entry.desired?.attributes ?? s.entry.actual?.attributes ?? {};
      const key = schedule.kinds.get(s.kind)?.serialKey?.(s.address, attributes);
      if (key !== undefined && busyKeys.has(key)) continue;
      if (key !== undefined) busyKeys.add(key);
      status.set(s.id, "running");
      const work: Promise<void> = execute(s, ++started, steps.length)
        .then(
          (actual) => {
            status.set(s.id, "done");
            outcomes.done.push({ address: s.address, operation: s.operation, actual });
          },
          (err) => {
            status.set(s.id, "failed");
            const actual = err instanceof NotSettled ? { actual: err.actual } : {};
            outcomes.failed.push({ address: s.address, operation: s.operation, error: messageOf(err), cause: err, ...actual });
          },
        )
        .finally(() => {
          if (key !== undefined) busyKeys.delete(key);
          running.delete(work);
        });
      running.add(work);
    }
    if (!running.size) return outcomes;
    await Promise.race(running);
  }
}

/**
 * The journal end of a call that was done, not yet awaited: the caller writes it with the step's record (one state write:
 * journal and record changes that arrive together are written together).
 */
type Closing = Array<() => Promise<void>>;

const once = <T>(make: () => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

/** One step: the journaled, retried mutating call, then the wait for the resource to settle. Returns the new actual. */
async function runStep(
  s: Step,
  kind: ResourceKind,
  current: ReadonlyMap<Address, Actual>,
  opts: ApplyOptions,
  runSignal: AbortSignal,
  emit: (event: ApplyEvent) => void,
  closing: Closing,
): Promise<Actual | null> {
  const { entry, operation } = s;
  if (operation === "delete" && !entry.actual) return null; // already gone: only forget it

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`timed out after ${kind.timeoutMs} ms`)), kind.timeoutMs);
  const signal = AbortSignal.any([runSignal, timeout.signal]);
  const ctx: OperationContext = { signal, requestToken: (operation === "create" && opts.requestTokens?.get(s.address)) || randomUUID() };
  const retrying = <T>(call: () => Promise<T>) =>
    untilAborted(
      withRetry(call, {
        ...opts.retry,
        signal,
        onRetry: (attempt, delayMs, err) => emit({ type: "retrying", address: s.address, operation, attempt, delayMs, error: messageOf(err) }),
      }),
      signal,
    );

  try {
    const resource = operation === "delete" ? undefined : withResolvedRefs(entry.desired as Resource, current);
    const existing = operation === "create" ? undefined : entry.actual;
    const intent: Intent = { address: s.address, kind: s.kind, operation, requestToken: ctx.requestToken, ...(existing && { id: existing.id }) };
    const journal = kind.idempotent ? undefined : opts.journal;
    const intentId = await journal?.begin(intent);
    let actual: Actual | null;
    try {
      // Being deleted (a destroy was cut off): a delete only waits for it to go (below); a create waits first, then creates anew.
      const deleting = entry.actual?.deleting === true;
      if (operation === "create" && deleting && kind.wait) await retrying(() => (kind.wait as NonNullable<ResourceKind["wait"]>)(entry.actual as Actual, "delete", ctx));
      if (operation === "delete" && deleting) actual = null;
      else if (operation === "create") actual = await retrying(createOnce(kind, resource as Resource, ctx));
      else if (operation === "update") actual = await retrying(() => kind.update(resource as Resource, entry.actual as Actual, resolvedChanges(entry.changes, resource as Resource), ctx));
      else actual = await retrying(() => kind.delete(entry.actual as Actual, ctx)).then(() => null);
    } catch (err) {
      const cause = interruption(err, signal, runSignal);
      const outcome: Outcome = signal.aborted ? { status: "unknown", reason: cause.message } : { status: "failed", error: cause.message };
      if (intentId !== undefined) await journal?.end(intentId, outcome);
      throw cause;
    }
    // A done call's end is not written before what follows: it goes beside the wait, or (nothing to wait for) into the
    // record's state write, one write less on every step's path. A crash before it lands leaves the call journaled as
    // in flight, as a crash a moment earlier would.
    if (intentId !== undefined) {
      const done = actual;
      const end = once(() => Promise.resolve(journal?.end(intentId, { status: "done", actual: done })));
      if (kind.wait) end().catch(() => {}); // awaited with the record
      closing.push(end);
    }

    const wait = kind.wait;
    if (wait) {
      const settling = actual ?? (entry.actual as Actual);
      emit({ type: "waiting", address: s.address, operation, id: settling.id });
      try {
        const settled = await retrying(() => wait(settling, operation, ctx));
        if (actual) actual = settled;
      } catch (err) {
        // It exists now: keep it tracked so a rerun, a rollback or a destroy finds it.
        if (!actual) throw err;
        await Promise.all([...closing.map((end) => end()), opts.onResourceDone?.(s.address, actual, entry)]);
        throw new NotSettled(interruption(err, signal, runSignal), operation, actual);
      }
    }
    return actual;
  } catch (err) {
    await Promise.allSettled(closing.map((end) => end())); // the call's end is written before the step is reported failed
    throw interruption(err, signal, runSignal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The create call, for retrying: a failed attempt may have made the resource (a later call of a multi-call create failed,
 * or the answer was lost), so each retry first asks the cloud and, when it is there, finishes that one with an update.
 */
function createOnce(kind: ResourceKind, resource: Resource, ctx: OperationContext): () => Promise<Actual> {
  let attempts = 0;
  return async () => {
    if (attempts++ > 0) {
      const made = (await kind.observe([{ address: resource.address, desired: resource }], { signal: ctx.signal })).get(resource.address);
      if (made && !made.deleting) return kind.update(resource, made, compareFields(resource.attributes, made.attributes, resource.ignoreFields).changes, ctx);
    }
    return kind.create(resource, ctx);
  };
}

/** A created or updated resource whose wait failed: it exists, so the caller must not forget it. */
class NotSettled extends Error {
  constructor(
    cause: Error,
    operation: Operation,
    readonly actual: Actual,
  ) {
    super(`${operation === "create" ? "created" : "updated"} ${actual.id}, but it did not become ready: ${cause.message}`, { cause });
  }
}

/** The error to report: cancellation and timeouts say so, whatever the interrupted call threw. */
function interruption(err: unknown, signal: AbortSignal, runSignal: AbortSignal): Error {
  if (err instanceof NotSettled) return err;
  if (runSignal.aborted) return new Error("cancelled", { cause: err });
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
  return err instanceof Error ? err : new Error(String(err));
}

function withResolvedRefs(resource: Resource, current: ReadonlyMap<Address, Actual>): Resource {
  const attributes = resolveRefs(resource.attributes, (r) => {
    const target = current.get(r.$ref);
    if (!target) throw new Error(`${resource.address} needs ${r.$ref}.${r.field}, which does not exist`);
    return readField(target, r.field);
  });
  return { ...resource, attributes };
}

/** The plan showed some values as known after apply; by now they are known. */
function resolvedChanges(changes: Change[], resource: Resource): Change[] {
  return changes.map((c) => ({ ...c, after: valueAt(resource.attributes, c.segments) }));
}

function valueAt(value: unknown, segments: readonly string[]): unknown {
  return segments.reduce<unknown>((v, key) => (isPlainObject(v) ? v[key] : undefined), value);
}

function kindsFor(entries: readonly PlanEntry[], kinds: readonly ResourceKind[]): Map<string, ResourceKind> {
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  const missing = [...new Set(entries.map((e) => e.kind))].filter((k) => !byName.has(k));
  if (missing.length) {
    throw new NicError("INTERNAL_ERROR", `No resource kind is registered for ${missing.join(", ")}.`, {
      recovery: ["This is a bug in NIC. Please report it."],
    });
  }
  return byName;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
