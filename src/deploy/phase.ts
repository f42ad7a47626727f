// One reconcile phase (the cloud, then Kubernetes): observe → plan → apply, saving state after every resource.
import { readFailedHint } from "../cli/credentials.ts";
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import { apply, type ApplyEvent, type ApplyResult } from "../engine/apply.ts";
import { observe } from "../engine/observe.ts";
import { plan, type Plan } from "../engine/plan.ts";
import type { Resource, ResourceKind } from "../engine/types.ts";
import type { StateSession } from "../state/session.ts";
import type { State } from "../state/format.ts";
import { carriedTokens, dropIntents, forgetIntents, pendingUnder, refuseForeign, resolvedBy, settleInFlight } from "./journal.ts";
import { recordResource, trackedFrom } from "./tracked.ts";

export interface PhaseSpec {
  /** For messages: "cloud" or "kubernetes". */
  name: string;
  /** The address prefix this phase owns in state (`aws/`, `k8s/`). */
  prefix: string;
  desired: Resource[];
  kinds: ResourceKind[];
  classify?: (err: unknown) => number | undefined;
}

export interface PhaseOptions {
  allowReplace?: boolean;
  /** Record resources found by name that the state neither tracks nor was creating (refused otherwise). */
  adoptExisting?: boolean;
  /** Before planning a create a cut-off run journaled, wait until its request cannot still be in flight (journal.ts). */
  waitForInFlight?: boolean;
  parallelism?: number;
  rollbackOnFailure?: boolean;
  signal: AbortSignal;
  log: Logger;
  onEvent?: (event: ApplyEvent) => void;
}

/** Plans a phase against the state as read (no lock needed: nothing is changed). */
export async function planPhase(spec: PhaseSpec, state: State | undefined, opts: Pick<PhaseOptions, "allowReplace" | "adoptExisting" | "waitForInFlight" | "signal"> & { log?: Logger }): Promise<Plan> {
  const tracked = trackedFrom(state, spec.prefix);
  const read = () => reading(spec.name, () => observe(spec.kinds, spec.desired, tracked, opts.signal), spec.prefix.split("/")[0]);
  let actual = await read();
  if (opts.waitForInFlight) actual = await settleInFlight(pendingUnder(state, spec.prefix), actual, read, tracked, spec.kinds, opts);
  const p = plan(spec.desired, actual, { resources: tracked }, { allowReplace: opts.allowReplace });
  if (!opts.adoptExisting) refuseForeign(p, spec.kinds, pendingUnder(state, spec.prefix), spec.name);
  return p;
}

/** A read that fails is the cloud's or the cluster's answer (credentials, permissions, an unreachable API), not a bug in NIC. */
export async function reading<T>(phase: string, read: () => Promise<T>, provider?: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NicError) throw err;
    const where = phase === "cloud" ? "the cloud" : "the cluster";
    const cause = err instanceof Error ? (err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message) : String(err);
    throw new NicError("READ_FAILED", `Could not read ${where}: ${cause}`, {
      details: { phase },
      recovery: [
        readFailedHint(provider),
        "`nic status` checks that the cluster API answers.",
      ],
      cause: err,
    });
  }
}

/** Applies a plan under the session's lock; every finished resource is written to state at once. */
export async function applyPhase(spec: PhaseSpec, p: Plan, session: StateSession, opts: PhaseOptions): Promise<ApplyResult> {
  if (p.errors.length) {
    throw new NicError("PLAN_REFUSED", `The ${spec.name} plan needs changes NIC will not make without --allow-replace`, {
      details: { errors: p.errors },
      recovery: ["Revert the configuration change that forces the replacement, or rerun with --allow-replace if losing the resource is intended."],
    });
  }
  // The plan observed what a cut-off run's journal entries were about: they are resolved now (see journal.ts).
  const left = pendingUnder(session.state, spec.prefix);
  const resolved = resolvedBy(p, left);
  if (resolved.length) await session.update((s) => dropIntents(s, resolved.map((op) => op.id)));
  return apply(p, {
    kinds: spec.kinds,
    parallelism: opts.parallelism,
    journal: session.journal,
    requestTokens: carriedTokens(p, left),
    onResourceDone: (address, actual, entry) => session.update((s) => (recordResource(s, address, actual, entry), forgetIntents(s, address))).then(() => {}),
    onEvent: opts.onEvent,
    signal: opts.signal,
    retry: spec.classify ? { classify: spec.classify } : undefined,
    rollbackOnFailure: opts.rollbackOnFailure,
  });
}
