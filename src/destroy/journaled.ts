// What a cut-off deploy was creating when it stopped: its journal entry is in the state, the resource is not (the run
// ended before recording it). The teardown walks only what the state tracks, so such a resource (a route table made while
// Ctrl-C landed) would outlive the destroy and keep the VPC's deletion failing. It is looked for as deploy looks for it
// (by name, waiting while its request may still be in flight) and recorded, so the teardown deletes it in its place.
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import { deploymentGraph, isKubernetes } from "../deploy/graph.ts";
import { settleInFlight } from "../deploy/journal.ts";
import { reading } from "../deploy/phase.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { recordResource } from "../deploy/tracked.ts";
import { dependenciesOf } from "../engine/refs.ts";
import { observe } from "../engine/observe.ts";
import type { ResourceKind } from "../engine/types.ts";
import type { StateSession } from "../state/session.ts";

export async function recordJournaledCreates(
  loaded: LoadedConfig,
  provider: DeployProvider,
  session: StateSession,
  kinds: ResourceKind[],
  opts: { env: Env; log: Logger; signal: AbortSignal },
): Promise<void> {
  const state = session.state!;
  const pending = state.pending_operations.filter((op) => op.operation === "create" && !(op.address in state.resources) && !isKubernetes(op.address));
  if (!pending.length) return;
  const wanted = new Set(pending.map((op) => op.address));
  const desired = (await deploymentGraph(loaded, provider, () => session.state, opts.env)).cloud.desired.filter((r) => wanted.has(r.address));
  const read = () => reading("cloud", () => observe(kinds, desired, [], opts.signal));
  const found = await settleInFlight(pending, await read(), read, [], kinds, opts);
  const made = desired.filter((r) => found.has(r.address));
  if (!made.length) return;
  opts.log.info(`Found ${made.map((r) => r.address).join(", ")}, made by an interrupted run before it could record it: deleting it too`);
  await session.update((s) => {
    for (const r of made) recordResource(s, r.address, found.get(r.address)!, { dependsOn: dependenciesOf(r) });
  });
}
