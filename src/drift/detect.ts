// `nic drift detect`: the state against the actual cloud and cluster, read with the same batched observe() a no-op deploy uses.
import { NicError } from "../cli/errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { reading, type PhaseSpec } from "../deploy/phase.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { trackedFrom } from "../deploy/tracked.ts";
import { drift } from "../engine/diff.ts";
import { observe } from "../engine/observe.ts";
import type { Actual, Address, Resource } from "../engine/types.ts";
import type { State } from "../state/format.ts";
import { deploymentGraph } from "../deploy/graph.ts";
import { kubernetesConnection } from "../deploy/phases.ts";
import type { PhaseDrift } from "./report.ts";
import { configurationDisagreement, type ConfigurationDisagreement } from "./configuration.ts";

/** Fields owned by someone else even where the provider does not say so (state-only resources have no desired). */
export const IGNORED_BY_KIND: Record<string, string[]> = {
  "aws/eks_node_group": ["scaling.desired_size"],
  "aws/eks_cluster": ["platform_version"],
};

export interface DetectOptions {
  env: Env;
  includeIgnored?: boolean;
  signal: AbortSignal;
}

/** Drift per phase, plus what was read (accept records it). */
export interface Detection {
  phases: PhaseDrift[];
  actual: Map<Address, Actual>;
  desired: Map<Address, Resource>;
  /** The configuration against the state: what the next deploy would change besides any drift. */
  configuration?: ConfigurationDisagreement;
}

export async function detectDrift(loaded: LoadedConfig, provider: DeployProvider, state: State | undefined, opts: DetectOptions): Promise<Detection> {
  const detection: Detection = { phases: [], actual: new Map(), desired: new Map() };
  const graph = await reading("cloud", () => deploymentGraph(loaded, provider, () => state, opts.env), loaded.config.provider);
  if (state) detection.configuration = configurationDisagreement(graph.desired, state, loaded.hash);
  const cloudDrift = await reading("cloud", () => phaseDrift(graph.cloud, state, opts, detection), loaded.config.provider);
  detection.phases.push(cloudDrift);

  // The cluster's objects are read through the cluster the provider's links name (none: one NIC did not make).
  const api = new Set(graph.links.api);
  const recorded = graph.links.api.every((a) => state?.resources[a]);
  const clusterGone = cloudDrift.report.resources.some((r) => api.has(r.address) && r.status === "removed");
  if (!recorded || clusterGone) {
    const report = drift([], new Map());
    detection.phases.push({ name: "kubernetes", report, skipped: clusterGone ? "the cluster is gone from the cloud" : "the state records no cluster" });
    return detection;
  }
  detection.phases.push(
    await reading("kubernetes", async () => {
      const { unownedObjects } = await import("../kubernetes/index.ts");
      const connection = await kubernetesConnection(loaded, provider, state, opts.env);
      const untracked = await unownedObjects(connection, trackedFrom(state, graph.kubernetes.prefix).map((t) => t.address), opts.signal);
      return phaseDrift(graph.kubernetes, state, opts, detection, untracked);
    }, loaded.config.provider),
  );
  return detection;
}

/** One phase's drift; what it read is added to `into`. `untracked`: objects found outside state by other means. */
export async function phaseDrift(
  spec: PhaseSpec,
  state: State | undefined,
  opts: DetectOptions,
  into: Detection = { phases: [], actual: new Map(), desired: new Map() },
  untracked: ReadonlyArray<{ address: Address; kind: string }> = [],
): Promise<PhaseDrift> {
  const tracked = trackedFrom(state, spec.prefix);
  const actual = await observe(spec.kinds, spec.desired, tracked, opts.signal);
  const inState = new Set(tracked.map((t) => t.address));
  // Desired resources observe() found by name: in the cloud, not in state.
  const found = spec.desired.filter((r) => !inState.has(r.address) && actual.has(r.address)).map((r) => ({ address: r.address, kind: r.kind }));
  const added = [...new Map([...found, ...untracked].map((a) => [a.address, { address: a.address, kind: a.kind }])).values()].sort((a, b) => a.address.localeCompare(b.address));

  for (const [address, a] of actual) into.actual.set(address, a);
  for (const r of spec.desired) into.desired.set(r.address, r);
  const report = drift(tracked, actual, { ignoreFields: ignoredFields(spec.desired), includeIgnored: opts.includeIgnored, added });
  return { name: spec.name as PhaseDrift["name"], report };
}

/** Per kind: the defaults plus every field a desired resource of that kind leaves to others. */
export function ignoredFields(desired: readonly Resource[]): Record<string, string[]> {
  const byKind: Record<string, Set<string>> = {};
  for (const [kind, fields] of Object.entries(IGNORED_BY_KIND)) byKind[kind] = new Set(fields);
  for (const r of desired) for (const f of r.ignoreFields ?? []) (byKind[r.kind] ??= new Set()).add(f);
  return Object.fromEntries(Object.entries(byKind).map(([kind, fields]) => [kind, [...fields]]));
}
