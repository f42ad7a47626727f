// Reading the actual state: one batched observe() per resource kind, all kinds at once.
import { NicError } from "../cli/errors.ts";
import type { Actual, Address, Lookup, Resource, ResourceKind, Tracked } from "./types.ts";

/** Looks up every desired and tracked address, grouped by kind, so each kind reads its whole batch in as few calls as it can. */
export async function observe(
  kinds: readonly ResourceKind[],
  desired: readonly Resource[],
  tracked: readonly Tracked[],
  signal: AbortSignal,
): Promise<Map<Address, Actual>> {
  const batches = new Map<string, Map<Address, Lookup>>();
  const lookup = (kind: string, address: Address): Lookup => {
    let batch = batches.get(kind);
    if (!batch) batches.set(kind, (batch = new Map()));
    let entry = batch.get(address);
    if (!entry) batch.set(address, (entry = { address }));
    return entry;
  };
  for (const r of desired) lookup(r.kind, r.address).desired = r;
  for (const t of tracked) lookup(t.kind, t.address).tracked = t;

  const byName = new Map(kinds.map((k) => [k.kind, k]));
  const found = await Promise.all(
    [...batches].map(([name, batch]) => {
      const kind = byName.get(name);
      if (!kind) throw new NicError("INTERNAL_ERROR", `No resource kind is registered for ${name}.`, { recovery: ["This is a bug in NIC. Please report it."] });
      return kind.observe([...batch.values()], { signal });
    }),
  );
  return new Map(found.flatMap((m) => [...m]));
}
