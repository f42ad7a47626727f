// Drift: what the state recorded vs what the cloud has now (`nic drift`). Pure, like plan().
import { compareFields } from "./compare.ts";
import type { Actual, Address, Change, Tracked } from "./types.ts";

/** The design document's §6.5 difference shape. */
export interface FieldDrift {
  field: string;
  state_value: unknown;
  actual_value: unknown;
}

export interface ResourceDrift {
  address: Address;
  kind: string;
  /** `removed`: in state, gone from the cloud. */
  status: "in-sync" | "drifted" | "removed";
  differences: FieldDrift[];
  /** Differences in ignored fields: not drift unless includeIgnored (then they are in `differences` instead). */
  ignored: FieldDrift[];
}

export interface DriftReport {
  has_drift: boolean;
  resources: ResourceDrift[];
  /** Objects of kinds NIC manages, found in the cloud but not in state. */
  added: Array<{ address: Address; kind: string }>;
  summary: { total_resources: number; drifted_resources: number; added_resources: number; removed_resources: number };
}

/** AWS-managed tags are never NIC's. */
export const ALWAYS_IGNORED = ["tags.aws:*", "tags.eks:*"];

export interface DriftOptions {
  /** Field patterns each kind ignores (e.g. node groups: `scaling.desired_size`; clusters: `platform_version`). */
  ignoreFields?: Record<string, string[]>;
  includeIgnored?: boolean;
  added?: Array<{ address: Address; kind: string }>;
}

export function drift(state: readonly Tracked[], actual: ReadonlyMap<Address, Actual>, opts: DriftOptions = {}): DriftReport {
  const resources = [...state]
    .sort((a, b) => a.address.localeCompare(b.address))
    .map((t): ResourceDrift => {
      const found = actual.get(t.address);
      if (!found || found.deleting) return { address: t.address, kind: t.kind, status: "removed", differences: [], ignored: [] };
      const ignore = [...ALWAYS_IGNORED, ...(opts.ignoreFields?.[t.kind] ?? [])];
      const { changes, ignored } = compareFields(t.attributes, found.attributes, ignore);
      const differences = (opts.includeIgnored ? [...changes, ...ignored] : changes).map(asDrift);
      return {
        address: t.address,
        kind: t.kind,
        status: differences.length ? "drifted" : "in-sync",
        differences,
        ignored: opts.includeIgnored ? [] : ignored.map(asDrift),
      };
    });
  const added = opts.added ?? [];
  const drifted = resources.filter((r) => r.status === "drifted").length;
  const removed = resources.filter((r) => r.status === "removed").length;
  return {
    has_drift: drifted + removed + added.length > 0,
    resources,
    added,
    summary: { total_resources: resources.length, drifted_resources: drifted, added_resources: added.length, removed_resources: removed },
  };
}

/** compareFields() reports before = found (actual), after = managed (state). */
function asDrift(c: Change): FieldDrift {
  return { field: c.path, state_value: c.after ?? null, actual_value: c.before ?? null };
}
