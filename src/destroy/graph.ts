// The one graph of a deployment in reverse: every tracked resource, cloud and Kubernetes, with nothing desired. Each
// Kubernetes object is deleted before the cluster API it runs on (the ClusterLinks edges deploy uses), so the plan,
// the dry run's order and the apply are one walk of the graph deploy built.
import { isKubernetes } from "../deploy/graph.ts";
import type { ClusterLinks } from "../deploy/provider.ts";
import { trackedFrom } from "../deploy/tracked.ts";
import { plan, type Plan } from "../engine/plan.ts";
import type { Actual, Address, ResourceKind, Tracked } from "../engine/types.ts";
import type { State } from "../state/format.ts";

/** The state's resources as the teardown reads them: Kubernetes objects also hang on the cluster's API (imported ones may not record it). */
export function teardownTracked(state: State, links: ClusterLinks): Tracked[] {
  const api = links.api.filter((a) => a in state.resources);
  return trackedFrom(state, "").map((t) => (isKubernetes(t.address) && api.length ? { ...t, dependsOn: [...new Set([...(t.dependsOn ?? []), ...api])] } : t));
}

/** Dependents first: Kubernetes objects, then what they run on, down to the network. */
export function teardownPlan(state: State, links: ClusterLinks, actual: Map<Address, Actual>): Plan {
  return plan([], actual, { resources: teardownTracked(state, links) });
}

/**
 * A Kubernetes object whose cluster is deleted too: no call is made (deleting the cluster deletes it), so it is only
 * forgotten, at its place in the graph (before the cluster). What controllers made in the cloud for it is swept first.
 */
export function goesWithCluster(kind: string): ResourceKind {
  const never = () => Promise.reject(new Error(`${kind}: a teardown only forgets objects that go with their cluster`));
  return {
    kind,
    observe: async (batch) => new Map(batch.flatMap((l) => (l.tracked ? [[l.address, l.tracked] as const] : []))),
    create: never,
    update: never,
    delete: async () => {},
    timeoutMs: 60_000,
    idempotent: true,
  };
}
