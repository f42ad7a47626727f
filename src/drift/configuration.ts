// Drift has two sides: the cloud against the state (drift), and the configuration against the state. The second is
// what the next deploy would change even if nothing drifted: the configuration was edited since the last deploy or
// import. Pure: the desired resources planned against the state's own records.
import type { Resource } from "../engine/types.ts";
import { plan } from "../engine/plan.ts";
import { actualFrom, trackedFrom } from "../deploy/tracked.ts";
import type { State } from "../state/format.ts";

export interface ConfigurationDisagreement {
  /** The configuration's hash differs from the one of the last deploy or import. */
  changed_since_last_run: boolean;
  /** What the next deploy would do to make the state match the configuration (creates, updates, replaces, deletes). */
  pending: { address: string; action: string; fields: string[] }[];
}

export function configurationDisagreement(desired: Resource[], state: State, configurationHash: string): ConfigurationDisagreement {
  const planned = plan(desired, actualFrom(state), { resources: trackedFrom(state, "") });
  const recorded = state.metadata.configuration_hash;
  return {
    changed_since_last_run: recorded !== null && recorded !== configurationHash,
    pending: planned.entries.filter((e) => e.action !== "no-op").map((e) => ({ address: e.address, action: e.action, fields: e.action === "create" ? [] : e.changes.map((c) => c.path) })),
  };
}
