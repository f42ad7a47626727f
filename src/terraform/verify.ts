// Verify before writing: every resource found in the Terraform state is looked up through NIC's own resource kinds
// (observe), so the attributes NIC records are exactly what NIC reads, and the next deploy compares like with like.
// The v1 rule (design document §7.3): keep what exists. Differences from the config are reported, never fixed here.
import { kindOf } from "../deploy/tracked.ts";
import { observe } from "../engine/observe.ts";
import { plan, type Plan, type PlanEntry } from "../engine/plan.ts";
import type { Actual, Address, Resource, ResourceKind, Tracked } from "../engine/types.ts";
import { keepFromImport, keptValues, type Keepable, type KeptValue } from "./keep.ts";
import type { Mapping, MappedResource, UnmanagedResource } from "./map.ts";

export interface PhaseInput {
  /** "cloud" (stage 02) or "kubernetes" (stage 03). */
  name: string;
  mapping: Mapping;
  desired: Resource[];
  kinds: ResourceKind[];
  /** What the desired resources become once the found ones are adopted as they are (Kubernetes: adoptImported). */
  adopt?: (desired: Resource[], imported: ReadonlyMap<Address, Actual>) => Resource[];
  /**
   * What may be adopted when found live without a Terraform record: what Nebari makes outside Terraform (AWS: the ASG
   * tags of its post-deploy step), and Kubernetes objects inside the verified cluster. Nothing else is adopted by name.
   */
  adoptUntracked?: (r: Resource) => boolean;
  /** Adopt a resource found under Terraform's name but with another ID (`--adopt-conflicts`). */
  adoptConflicts?: boolean;
  /** Fields whose existing value is kept where NIC's default differs (keep.ts): they are pinned, not changed. */
  keepable?: Keepable;
}

/** Found where Terraform's resource should be, but it is not the one Terraform recorded. */
export interface Conflict extends MappedResource {
  found: { id: string; arn?: string };
  /** Adopted anyway, because the user asked for it (`--adopt-conflicts`). */
  adopted: boolean;
}

export interface FoundResource extends MappedResource {
  actual: Actual;
}

export interface PhaseVerification {
  name: string;
  /** In the Terraform state, wanted by the config, and live: these are imported. */
  found: FoundResource[];
  /** In the Terraform state and wanted, but the ID Terraform recorded is gone: the next deploy creates them. */
  missing: MappedResource[];
  /** In the Terraform state, but what NIC found live has another ID (a look-alike): never adopted unless opted in. */
  conflicts: Conflict[];
  /** In the Terraform state, but the config asks for no such resource: left alone, not tracked. */
  notWanted: MappedResource[];
  /**
   * Wanted by the config but not in the Terraform state; `exists` when NIC found one live anyway. Adopted only when
   * `adopted` (a kind Nebari makes outside Terraform, or a Kubernetes object in the verified cluster).
   */
  notInTerraform: { address: Address; exists: boolean; adopted: boolean; id?: string }[];
  /** Terraform resources NIC has no place for (unknown, or a second instance for one address). */
  unmanaged: UnmanagedResource[];
  /** Existing values kept where NIC's default differs (recorded in state as kept_from_import). */
  kept: KeptValue[];
  /** What the next `nic deploy` would do once these resources are tracked, the kept values applied: the config differences. */
  plan: Plan;
  /** Everything observe() found live, imported or not (outputs and the cluster connection are built from it). */
  live: Map<Address, Actual>;
}

export async function verifyPhase(input: PhaseInput, signal: AbortSignal): Promise<PhaseVerification> {
  const wanted = new Map(input.desired.map((r) => [r.address, r]));
  const candidates = new Map<Address, MappedResource>();
  const notWanted: MappedResource[] = [];
  const unmanaged = [...input.mapping.unmanaged];
  for (const m of input.mapping.mapped) {
    if (!wanted.has(m.address)) notWanted.push(m);
    else if (candidates.has(m.address)) unmanaged.push({ terraform: m.terraform, reason: `${candidates.get(m.address)!.terraform} already maps to ${m.address}` });
    else candidates.set(m.address, m);
  }

  const tracked: Tracked[] = [...candidates.values()].map((m) => ({ address: m.address, kind: kindOf(m.address), id: m.id, ...(m.arn ? { arn: m.arn } : {}), attributes: m.attributes ?? {} }));
  const actual = await observe(input.kinds, input.desired, tracked, signal);

  const found: FoundResource[] = [];
  const missing: MappedResource[] = [];
  const conflicts: Conflict[] = [];
  for (const m of candidates.values()) {
    const live = actual.get(m.address);
    if (!live) missing.push(m);
    else if (sameIdentity(m, live)) found.push({ ...m, actual: live });
    else {
      const adopted = input.adoptConflicts ?? false;
      conflicts.push({ ...m, found: { id: live.id, ...(live.arn ? { arn: live.arn } : {}) }, adopted });
      // A look-alike is not the resource: unless adopted, plan as if nothing were there and build nothing on it.
      if (adopted) found.push({ ...m, actual: live });
      else actual.delete(m.address);
    }
  }
  const desired = input.adopt ? input.adopt(input.desired, new Map(found.map((f) => [f.address, f.actual]))) : input.desired;
  const notInTerraform = input.desired
    .filter((r) => !candidates.has(r.address))
    .map((r) => {
      const live = actual.get(r.address);
      return { address: r.address, exists: Boolean(live), adopted: Boolean(live) && (input.adoptUntracked?.(r) ?? false), ...(live ? { id: live.id } : {}) };
    });
  // Never adopt by name what Terraform did not record: plan it as absent.
  for (const n of notInTerraform) if (n.exists && !n.adopted) actual.delete(n.address);
  const trackedFound = found.map((f) => ({ address: f.address, kind: kindOf(f.address), id: f.actual.id, attributes: f.actual.attributes }));
  const first = plan(desired, actual, { resources: trackedFound });
  const untracked = new Set(notInTerraform.filter((n) => !n.exists).map((n) => n.address));
  const kept = keptValues(first.entries, new Map(found.map((f) => [f.address, f.actual])), input.keepable ?? {}, untracked);
  const next = kept.length ? plan(keepFromImport(desired, kept), actual, { resources: trackedFound }) : first;
  return { name: input.name, found, missing, conflicts, notWanted, notInTerraform, unmanaged, kept, plan: next, live: actual };
}

/** The plan entries that are changes (create, update, replace, delete): what keeps the import from being a no-op. */
export function changesOf(v: PhaseVerification): PlanEntry[] {
  return v.plan.entries.filter((e) => e.action !== "no-op");
}

/**
 * The resource Terraform recorded, not one like it: the same ID, or the same ARN. Resources AWS identifies by name
 * (IAM roles, EKS clusters, ECR repositories) match by name, which is their identity there. Kubernetes objects match
 * by the UID Terraform recorded; a Helm chart's objects (no UID in Terraform) by name inside the verified cluster.
 */
export function sameIdentity(m: MappedResource, live: Actual): boolean {
  if (m.address.startsWith("k8s/")) return m.uid === undefined || live.id === m.uid;
  return live.id === m.id || (m.arn !== undefined && live.arn === m.arn);
}
