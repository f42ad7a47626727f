// Keep what exists (v1.0: no infrastructure changes on takeover). An older Nebari made some things differently from
// what NIC would create today (Amazon Linux 2 node groups, add-on settings, policy documents, rule descriptions). Where
// the configuration is silent, `nic import` pins the existing value in the state as "kept from import", and every
// later plan asks for it instead of NIC's default. A pin holds while both sides are as they were at the import:
// the configuration still yields NIC's default (`instead_of`) and the resource still has the kept value. Setting the
// field in the configuration releases it, and so does a change of the resource itself.
import { sameValue } from "../engine/compare.ts";
import type { Actual, Address, Resource } from "../engine/types.ts";
import type { PlanEntry } from "../engine/plan.ts";
import type { State } from "../state/format.ts";

export interface KeptValue {
  address: Address;
  /** A top-level attribute of the resource. */
  field: string;
  /** What exists, and what plans now ask for. */
  value: unknown;
  /** What the configuration yields instead (NIC's default at the import). */
  instead_of: unknown;
}

/** Per resource kind, the attributes that are NIC's defaults rather than the configuration's words (see maps/*.ts). */
export type Keepable = Record<string, readonly string[]>;

/** The pins an import records: every difference the next deploy would make in a keepable field of a found resource. */
export function keptValues(entries: readonly PlanEntry[], found: ReadonlyMap<Address, Actual>, keepable: Keepable): KeptValue[] {
  const out: KeptValue[] = [];
  for (const e of entries) {
    const live = found.get(e.address);
    if (!live || !e.desired || (e.action !== "update" && e.action !== "replace")) continue;
    const fields = new Set(e.changes.map((c) => c.segments[0]!));
    for (const field of [...fields].filter((f) => keepable[e.kind]?.includes(f)).sort())
      out.push({ address: e.address, field, value: live.attributes[field] ?? null, instead_of: e.desired.attributes[field] ?? null });
  }
  return out;
}

/** The desired resources with every pin that still holds applied, each noted in the plan as kept from import. */
export function keepFromImport(desired: Resource[], kept: readonly KeptValue[] | undefined, state?: State): Resource[] {
  if (!kept?.length) return desired;
  return desired.map((r) => {
    const holding = kept.filter((k) => k.address === r.address && holds(k, r, state));
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

function holds(k: KeptValue, r: Resource, state: State | undefined): boolean {
  if (!sameValue(r.attributes[k.field], k.instead_of)) return false; // the configuration asks for something else now
  const tracked = state?.resources[k.address];
  return !state || (tracked !== undefined && sameValue(tracked.attributes[k.field], k.value));
}

function describe(k: KeptValue): string {
  const scalar = (v: unknown) => v === null || typeof v !== "object";
  return scalar(k.value) && scalar(k.instead_of) ? `${k.field} ${JSON.stringify(k.value)} (NIC's default: ${JSON.stringify(k.instead_of)})` : `${k.field} (an older Nebari's value)`;
}
