// Keep what exists (v1.0: no infrastructure changes on takeover). An older Nebari made some things differently from
// what NIC would create today (Amazon Linux 2 node groups, add-on settings, policy documents, rule descriptions). Where
// the configuration is silent, `nic import` pins the existing value in the state as "kept from import", and every
// later plan asks for it instead of NIC's default. A pin holds while both sides are as they were at the import:
// the configuration still yields NIC's default (`instead_of`) and the resource still has the kept value. Setting the
// field in the configuration releases it, and so does a change of the resource itself. What a newer Nebari added and
// an older one never made (IRSA roles, the coredns add-on) is kept absent: not created while the state has no record of it.
import { actualFrom } from "../deploy/tracked.ts";
import { sameValue } from "../engine/compare.ts";
import { readField, resolveRefs } from "../engine/refs.ts";
import type { Actual, Address, Resource } from "../engine/types.ts";
import type { PlanEntry } from "../engine/plan.ts";
import type { State } from "../state/format.ts";

export interface KeptValue {
  address: Address;
  /** A top-level attribute of the resource; `*` for a resource kept absent (a newer Nebari's addition, never made). */
  field: string;
  /** What exists, and what plans now ask for. */
  value: unknown;
  /** What the configuration yields instead (NIC's default at the import). */
  instead_of: unknown;
}

/**
 * Per resource kind, the attributes that are NIC's defaults rather than the configuration's words (see maps/*.ts);
 * `*` keeps every attribute. `absent`: addresses a newer Nebari added, kept absent where an older one never made them.
 */
export type Keepable = Record<string, readonly string[]> & { absent?: readonly string[] };

const ABSENT = "*";

/**
 * The pins an import records: every difference the next deploy would make in a keepable field of a found resource,
 * and every keepable-absent resource it would create that Terraform never had (`untracked`: not in Terraform, not live).
 */
export function keptValues(entries: readonly PlanEntry[], found: ReadonlyMap<Address, Actual>, keepable: Keepable, untracked: ReadonlySet<Address> = new Set()): KeptValue[] {
  const out: KeptValue[] = [];
  for (const e of entries) {
    if (e.action === "create" && untracked.has(e.address) && keepable.absent?.includes(e.address)) {
      out.push({ address: e.address, field: ABSENT, value: null, instead_of: null });
      continue;
    }
    const live = found.get(e.address);
    if (!live || !e.desired || (e.action !== "update" && e.action !== "replace")) continue;
    const fields = new Set(e.changes.map((c) => c.segments[0]!));
    const keep = keepable[e.kind] ?? [];
    for (const field of [...fields].filter((f) => keep.includes(f) || keep.includes(ABSENT)).sort())
      out.push({ address: e.address, field, value: live.attributes[field] ?? null, instead_of: e.desired.attributes[field] ?? null });
  }
  return out;
}

/** The desired resources with every pin that still holds applied, each noted in the plan as kept from import. */
export function keepFromImport(desired: Resource[], kept: readonly KeptValue[] | undefined, state?: State): Resource[] {
  if (!kept?.length) return desired;
  const absent = new Set(kept.filter((k) => k.field === ABSENT && !state?.resources[k.address]).map((k) => k.address));
  const actual = actualFrom(state);
  return desired.filter((r) => !absent.has(r.address)).map((r) => {
    const holding = kept.filter((k) => k.address === r.address && holds(k, r, state, actual));
    if (!holding.length) return r;
    const attributes = { ...r.attributes };
    for (const k of holding) attributes[k.field] = k.value;
    const note = `kept from import: ${holding.map(describe).join(", ")}`;
    return { ...r, attributes, note: r.note ? `${r.note}; ${note}` : note };
  });
}

/** The pins of a state (metadata.kept_from_import), applied to what the configuration asks for. */
export function keepFromState(desired: Resource[], state: State | undefined): Resource[] {
  return keepFromImport(desired, state?.metadata.kept_from_import, state);
}

function holds(k: KeptValue, r: Resource, state: State | undefined, actual: ReadonlyMap<Address, Actual>): boolean {
  if (k.field === ABSENT) return false;
  // Refs resolved against the state; a resource that is not there reads as "" (as clusterOutputs reads it at the import).
  const wanted = resolveRefs(r.attributes[k.field], (ref) => {
    const target = actual.get(ref.$ref);
    return target ? readField(target, ref.field) : "";
  });
  if (!sameValue(wanted, k.instead_of)) return false; // the configuration asks for something else now
  const tracked = state?.resources[k.address];
  return !state || (tracked !== undefined && sameValue(tracked.attributes[k.field], k.value));
}

function describe(k: KeptValue): string {
  if (k.field === ABSENT) return "not created (an older Nebari never made it)";
  const scalar = (v: unknown) => v === null || typeof v !== "object";
  return scalar(k.value) && scalar(k.instead_of) ? `${k.field} ${JSON.stringify(k.value)} (NIC's default: ${JSON.stringify(k.instead_of)})` : `${k.field} (an older Nebari's value)`;
}
