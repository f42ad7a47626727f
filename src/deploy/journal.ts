// Settling the intent journal, and who may own what. A run that observes the resource of a journal entry resolves it:
// a create found is recorded, an update is planned from what was observed, a delete's resource is gone or deleted again.
// A resource found by name that the state does not track belongs to someone else, unless this state's journal says
// a run of its own was creating it: such a resource is never adopted silently.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import { sleep } from "../engine/retry.ts";
import { deadlines } from "../net/deadlines.ts";
import type { Plan } from "../engine/plan.ts";
import type { Address, ResourceKind } from "../engine/types.ts";
import type { PendingOperation, State } from "../state/format.ts";

/** The journal entries of one phase (its address prefix) that a run cut off left behind. */
export function pendingUnder(state: State | undefined, prefix: string): PendingOperation[] {
  return (state?.pending_operations ?? []).filter((op) => op.address.startsWith(prefix));
}

/** Addresses the journal says this deployment was creating: found in the cloud, they are this state's to record. */
export function ownCreates(pending: readonly PendingOperation[]): Set<Address> {
  return new Set(pending.filter((op) => op.operation === "create").map((op) => op.address));
}

/**
 * Refuses a plan that would record, as this state's, resources it neither tracks nor was creating (a second state
 * for a deployment another state owns). Kinds whose every call is idempotent and that mark what they own
 * (Kubernetes server-side apply) are left to their own ownership rules.
 */
export function refuseForeign(p: Plan, kinds: readonly ResourceKind[], pending: readonly PendingOperation[], phase: string): void {
  const journaled = new Set(kinds.filter((k) => !k.idempotent).map((k) => k.kind));
  const own = ownCreates(pending);
  const unowned = new Set(p.entries.filter((e) => e.adopt && !own.has(e.address)).map((e) => e.address));
  // A found resource hanging only off resources this state owns (the tags NIC puts on the Auto Scaling group EKS made for
  // its node group) is part of this deployment; one with no parent, or with a parent nobody here owns, is someone else's.
  const foreign = p.entries.filter((e) => unowned.has(e.address) && journaled.has(e.kind) && (!e.dependsOn.length || e.dependsOn.some((d) => unowned.has(d))));
  if (!foreign.length) return;
  const found = foreign.map((e) => ({ address: e.address, id: e.actual?.id ?? "" }));
  throw new NicError("RESOURCE_NOT_OWNED", `${found.length} ${phase} resource(s) of this deployment already exist but the state does not track them: ${found.map((f) => `${f.address} (${f.id})`).join(", ")}`, {
    details: { phase, found },
    recovery: [
      "Another state may own this deployment: pass it with --state.",
      "To take over a deployment Terraform made, run `nic import --from-terraform`.",
      "If these resources are truly this deployment's and no other state tracks them, rerun with --adopt-existing to record them.",
    ],
  });
}

/**
 * The entries a phase's plan resolves: an update or a delete (the plan was made from what the cloud has now), a create
 * whose resource the state tracks, and anything the phase no longer observes. A create of an untracked resource stays
 * until apply records it (found: adopted; not found: created again with the same token), so a crash in between
 * still knows it was this deployment's.
 */
export function resolvedBy(p: Plan, pending: readonly PendingOperation[]): PendingOperation[] {
  const planned = new Map(p.entries.map((e) => [e.address, e]));
  return pending.filter((op) => {
    const entry = planned.get(op.address);
    return !(op.operation === "create" && entry && (entry.adopt || entry.action === "create"));
  });
}

/** The idempotency tokens of creates that did not happen (or whose answer was lost): the new create sends the same one. */
export function carriedTokens(p: Plan, pending: readonly PendingOperation[]): Map<Address, string> {
  const creating = new Set(p.entries.filter((e) => e.action === "create").map((e) => e.address));
  return new Map(pending.filter((op) => op.operation === "create" && creating.has(op.address)).map((op) => [op.address, op.idempotency_token]));
}

/** Drops the journal entries of an address once the state records what happened to it. */
export function forgetIntents(state: State, address: Address): void {
  state.pending_operations = state.pending_operations.filter((op) => op.address !== address);
}

/** Drops entries by id. */
export function dropIntents(state: State, ids: readonly string[]): void {
  const drop = new Set(ids);
  state.pending_operations = state.pending_operations.filter((op) => !drop.has(op.id));
}

/** How often a rerun looks again (by name and tags, as observe() does) for a create a cut-off run may still have in flight. */
export const IN_FLIGHT_POLL_MS = 1000;
/** The longest request deadline --request-timeout allows: a later end is a clock that moved, not a request. */
const LONGEST_DEADLINE_MS = 3_600_000;

/**
 * Until when (epoch ms, 0: not at all) a rerun must hold off creating again what a cut-off run was creating: its request may
 * still be in flight (a process killed mid-call cannot cancel it). Only creates not found yet count, and not those a second
 * create cannot duplicate (kinds' createsOnce: the rerun resends the token, or adopts the name's owner). Each entry ends at
 * the deadline its own run gave the request (in_flight_until); one written before that field, a request deadline
 * (`deadlineMs`) after it began.
 */
export function inFlightUntil(pending: readonly PendingOperation[], found: ReadonlySet<Address>, kinds: readonly ResourceKind[], deadlineMs: number, now = Date.now()): number {
  const resent = kinds.filter((k) => k.createsOnce).map((k) => `${k.kind}/`);
  const ends = pending
    .filter((op) => op.operation === "create" && !found.has(op.address) && !resent.some((prefix) => op.address.startsWith(prefix)))
    .map((op) => (op.in_flight_until ? Date.parse(op.in_flight_until) : Date.parse(op.started_at) + deadlineMs))
    .filter((end) => end - now <= LONGEST_DEADLINE_MS);
  return Math.max(0, ...ends);
}

/**
 * Holds off (see inFlightUntil) while a journaled create may still be in flight, reading the cloud again every
 * IN_FLIGHT_POLL_MS: it returns as soon as every such create is found, or once none can still be in flight.
 */
export async function settleInFlight<M extends ReadonlyMap<Address, unknown>>(
  pending: readonly PendingOperation[],
  actual: M,
  read: () => Promise<M>,
  tracked: readonly { address: Address }[],
  kinds: readonly ResourceKind[],
  opts: { signal: AbortSignal; log?: Logger },
): Promise<M> {
  let current = actual;
  let announced = false;
  for (;;) {
    const left = inFlightUntil(pending, new Set([...current.keys(), ...tracked.map((t) => t.address)]), kinds, deadlines().requestMs) - Date.now();
    if (left <= 0) return current;
    if (!announced) opts.log?.info(`Waiting up to ${Math.ceil(left / 1000)} s, looking every ${IN_FLIGHT_POLL_MS / 1000} s: a create an interrupted run journaled may still be in flight`);
    announced = true;
    await sleep(Math.min(left, IN_FLIGHT_POLL_MS), opts.signal);
    current = await read();
  }
}
