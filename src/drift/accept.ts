// `nic drift accept`: state ← actual. Drifted fields take the cloud's values, removed resources leave the state,
// and resources the configuration wants that exist but were untracked are recorded. Pure: it edits a state draft.
import { recordResource } from "../deploy/tracked.ts";
import { parsePath } from "../engine/compare.ts";
import { dependenciesOf, isPlainObject } from "../engine/refs.ts";
import type { Address } from "../engine/types.ts";
import type { State } from "../state/format.ts";
import type { Detection } from "./detect.ts";

export interface Accepted {
  updated: Address[];
  forgotten: Address[];
  recorded: Address[];
  /** Found but not wanted by the configuration: recording them would make the next deploy delete them. */
  left: Address[];
}

export function acceptDrift(state: State, detection: Detection, now = new Date()): Accepted {
  const accepted: Accepted = { updated: [], forgotten: [], recorded: [], left: [] };
  for (const phase of detection.phases) {
    for (const r of phase.report.resources) {
      const entry = state.resources[r.address];
      if (!entry) continue;
      if (r.status === "removed") {
        delete state.resources[r.address];
        accepted.forgotten.push(r.address);
      } else if (r.differences.length) {
        for (const d of r.differences) setPath(entry.attributes, parsePath(d.field), d.actual_value);
        entry.updated_at = now.toISOString();
        accepted.updated.push(r.address);
      }
    }
    for (const a of phase.report.added) {
      const desired = detection.desired.get(a.address);
      const actual = detection.actual.get(a.address);
      if (!desired || !actual) {
        accepted.left.push(a.address);
        continue;
      }
      recordResource(state, a.address, actual, { dependsOn: dependenciesOf(desired) }, now);
      accepted.recorded.push(a.address);
    }
  }
  // A journal entry of an address that was just observed is resolved: the state now says what the cloud has.
  const observed = new Set([...detection.desired.keys(), ...detection.phases.flatMap((p) => p.report.resources.map((r) => r.address))]);
  state.pending_operations = state.pending_operations.filter((op) => !observed.has(op.address));
  return accepted;
}

/** Sets (or, for null, removes) the value at a path, creating objects on the way. */
function setPath(target: Record<string, unknown>, segments: string[], value: unknown): void {
  const last = segments[segments.length - 1]!;
  let node = target;
  for (const key of segments.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (value === null || value === undefined) delete node[last];
  else node[last] = structuredClone(value);
}
