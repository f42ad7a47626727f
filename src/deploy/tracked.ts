// The bridge between NIC state entries and the engine's view of them (Tracked), in both directions.
import type { PlanEntry } from "../engine/plan.ts";
import type { Actual, Address, Tracked } from "../engine/types.ts";
import type { State } from "../state/format.ts";

/** `aws/eks_cluster/main` → `aws/eks_cluster`: the engine's kind name. */
export function kindOf(address: Address): string {
  return address.split("/").slice(0, 2).join("/");
}

/** The state's resources under an address prefix (`aws/`, `k8s/`), as the engine reads them. */
export function trackedFrom(state: State | undefined, prefix: string): Tracked[] {
  if (!state) return [];
  return Object.entries(state.resources)
    .filter(([address]) => address.startsWith(prefix))
    .map(([address, entry]) => ({
      address,
      kind: kindOf(address),
      id: entry.provider_id,
      ...(entry.arn ? { arn: entry.arn } : {}),
      attributes: entry.attributes,
      dependsOn: entry.depends_on ?? [],
    }));
}

/** Records what apply reported for one address: the new actual, or its removal when it is gone. */
export function recordResource(state: State, address: Address, actual: Actual | null, entry: Pick<PlanEntry, "dependsOn">, now = new Date()): void {
  if (!actual) {
    delete state.resources[address];
    return;
  }
  const previous = state.resources[address];
  const at = now.toISOString();
  state.resources[address] = {
    kind: address.split("/")[1]!,
    provider_id: actual.id,
    ...(actual.arn ? { arn: actual.arn } : {}),
    attributes: actual.attributes,
    depends_on: entry.dependsOn,
    imported_from_terraform: previous?.imported_from_terraform ?? false,
    created_at: previous?.created_at ?? at,
    updated_at: at,
  };
}

/** Every tracked resource as the engine's actual map (outputs are built from it). */
export function actualFrom(state: State | undefined): Map<Address, Actual> {
  return new Map(trackedFrom(state, "").map((t) => [t.address, { id: t.id, ...(t.arn ? { arn: t.arn } : {}), attributes: t.attributes }]));
}
