// The one dependency graph of a deployment: stage 02's cloud resources and stage 03's Kubernetes objects together,
// each object waiting only for what the provider says it needs (ClusterLinks), so Kubernetes init starts as soon
// as the cluster answers. Built once for deploy, drift and drift fix.
import type { LoadedConfig } from "../config/load.ts";
import type { NebariConfig } from "../config/model.ts";
import { observe } from "../engine/observe.ts";
import { plan, type Plan } from "../engine/plan.ts";
import type { Actual, Address, Resource, ResourceKind } from "../engine/types.ts";
import type { ClusterConnection } from "../kubernetes/client.ts";
import type { ClusterOutputs } from "../outputs/types.ts";
import type { State } from "../state/format.ts";
import type { Logger } from "../cli/log.ts";
import { pendingUnder, refuseForeign, settleInFlight } from "./journal.ts";
import { reading, type PhaseOptions, type PhaseSpec } from "./phase.ts";
import type { ClusterLinks, DeployProvider, Env } from "./provider.ts";
import { actualFrom, trackedFrom } from "./tracked.ts";
import { keepFromState } from "../terraform/keep.ts";

/** Stage 03's objects are addressed `k8s/…`; everything else is the cloud. */
export const KUBERNETES_PREFIX = "k8s/";
export const isKubernetes = (address: Address) => address.startsWith(KUBERNETES_PREFIX);

export interface DeploymentGraph extends PhaseSpec {
  config: NebariConfig;
  links: ClusterLinks;
  /** The same graph cut in two, for reading (the cluster answers only once it exists) and for the result's sections. */
  cloud: PhaseSpec;
  kubernetes: PhaseSpec;
  /** What planGraph read of the cloud: the cluster may be there before the state records it (adopted, or a lost answer). */
  observed: Map<Address, Actual>;
  /**
   * The cluster's API as planGraph found it where the state's record is out of date and the plan leaves it as it is (a
   * killed run recorded it while it was still creating, without its endpoint): deploy records it before the apply.
   */
  refreshed: Map<Address, Actual>;
  /** Stage 03's objects given what is known of the cloud (the provider's extras may read it). */
  kubernetesFor(actual: Map<Address, Actual>): Resource[];
}

export interface GraphOptions {
  forceConflicts?: boolean;
  /** Deployments are waited for until available, so they also wait for the nodes. */
  waitForWorkloads?: boolean;
}

/**
 * `state` is read whenever the Kubernetes API is asked for: during an apply it is the session's, so the connection
 * comes from the cluster as soon as it is recorded.
 */
export async function deploymentGraph(loaded: LoadedConfig, provider: DeployProvider, state: () => State | undefined, env: Env, opts: GraphOptions = {}): Promise<DeploymentGraph> {
  const config = (await provider.prepare?.(loaded.config, state(), env)) ?? loaded.config;
  const links = provider.clusterLinks?.(config) ?? { api: [] };
  const { adoptImported, adoptedUids, kubernetesKinds, stage03Secrets } = await import("../kubernetes/index.ts");
  const imported = importedObjects(state());
  const observed = new Map<Address, Actual>();
  const refreshed = new Map<Address, Actual>();
  const known = () => new Map([...observed, ...actualFrom(state()), ...refreshed]);
  const connection = lazyConnection(() => provider.clusterOutputs(config, known()), (cluster) => provider.connection(config, cluster, env));
  // Secret data (the external registry's keys) goes to the cluster only; state keeps its hash.
  const kubeKinds = kubernetesKinds(connection, {
    forceConflicts: opts.forceConflicts ?? false,
    waitForWorkloads: opts.waitForWorkloads ?? false,
    secrets: stage03Secrets(config),
    adopted: adoptedUids(imported),
  });
  const cloud: PhaseSpec = { name: "cloud", prefix: `${config.provider}/`, desired: keepFromState(provider.desired(config), state()), kinds: provider.kinds(config, env), classify: provider.classify };
  const stage03 = await kubernetesDesired(config, links, opts);
  const kubernetesFor = (actual: Map<Address, Actual>) => keepFromState(adoptImported([...stage03, ...withLinks(provider.kubernetesExtras?.(config, actual) ?? [], links, opts)], imported), state());
  const kubernetes: PhaseSpec = { name: "kubernetes", prefix: KUBERNETES_PREFIX, desired: kubernetesFor(known()), kinds: kubeKinds };
  return {
    name: "deployment",
    prefix: "",
    desired: [...cloud.desired, ...kubernetes.desired],
    kinds: [...cloud.kinds, ...kubernetes.kinds],
    classify: provider.classify,
    config,
    links,
    cloud,
    kubernetes,
    observed,
    refreshed,
    kubernetesFor,
  };
}

/** Stage 03's objects, each depending on the cluster's API, plus the nodes for a Deployment that is waited for. */
export async function kubernetesDesired(config: NebariConfig, links: ClusterLinks, opts: GraphOptions = {}): Promise<Resource[]> {
  const { stage03Resources } = await import("../kubernetes/index.ts");
  return withLinks(stage03Resources(config, links.inputs), links, opts);
}

function withLinks(resources: Resource[], links: ClusterLinks, opts: GraphOptions): Resource[] {
  return resources.map((r) => {
    const needs = [...links.api, ...(opts.waitForWorkloads && r.kind === "k8s/deployment" ? (links.nodes ?? []) : [])];
    return needs.length ? { ...r, dependsOn: [...new Set([...(r.dependsOn ?? []), ...needs])] } : r;
  });
}

/**
 * Observe → plan over the one graph. The cloud is read first (with the cluster's objects at the same time when the
 * state records a cluster); the cluster's objects count only if the cluster stays: one to be created or replaced
 * holds none of them yet, so they are all created.
 */
export async function planGraph(graph: DeploymentGraph, state: State | undefined, opts: Pick<PhaseOptions, "allowReplace" | "adoptExisting" | "waitForInFlight" | "signal"> & { log?: Logger }): Promise<Plan> {
  const { cloud, kubernetes, links } = graph;
  const cloudTracked = trackedFrom(state, cloud.prefix);
  const kubeTracked = trackedFrom(state, kubernetes.prefix);
  const readCluster = () => reading("kubernetes", () => observe(kubernetes.kinds, kubernetes.desired, kubeTracked, opts.signal), graph.config.provider);
  const early = links.api.every((a) => state?.resources[a]) ? readCluster() : undefined;
  early?.catch(() => {}); // awaited below, or not needed
  const readCloud = () => reading("cloud", () => observe(cloud.kinds, cloud.desired, cloudTracked, opts.signal), graph.config.provider);
  let cloudActual = await readCloud();
  if (opts.waitForInFlight) cloudActual = await settleInFlight(pendingUnder(state, cloud.prefix), cloudActual, readCloud, cloudTracked, cloud.kinds, opts);

  const cloudPlan = plan(cloud.desired, cloudActual, { resources: cloudTracked }, opts);
  // Kubernetes kinds keep their own ownership rules (journal.ts), so what is refused is the cloud's, before the cluster is read.
  if (!opts.adoptExisting) refuseForeign(cloudPlan, cloud.kinds, pendingUnder(state, cloud.prefix), cloud.name);
  for (const [address, found] of cloudActual) graph.observed.set(address, found);
  // The provider's extras may depend on what was just read (local: the kind network's address pool).
  kubernetes.desired = graph.kubernetesFor(new Map([...actualFrom(state), ...cloudActual]));
  graph.desired = [...cloud.desired, ...kubernetes.desired];
  const api = links.api.map((a) => cloudPlan.entries.find((e) => e.address === a)?.action);
  const recorded = actualFrom(state);
  for (const [i, address] of links.api.entries()) {
    const found = cloudActual.get(address);
    if (api[i] === "no-op" && found && !sameRecord(found, recorded.get(address))) graph.refreshed.set(address, found);
  }
  let kubeActual = new Map<Address, Actual>();
  if (api.every((action) => action === "no-op" || action === "update")) {
    try {
      kubeActual = await readClusterAfter(early, graph.refreshed.size > 0, readCluster);
    } catch (err) {
      // A cluster being updated (or left settling by a killed run) may not answer yet: plan its objects as creates.
      if (api.every((action) => action === "no-op")) throw err;
    }
  }
  return plan(graph.desired, new Map([...cloudActual, ...kubeActual]), { resources: [...cloudTracked, ...kubeTracked] }, opts);
}

function sameRecord(found: Actual, recorded: Actual | undefined): boolean {
  const { id, arn, attributes } = found;
  return JSON.stringify({ id, arn, attributes }) === JSON.stringify({ id: recorded?.id, arn: recorded?.arn, attributes: recorded?.attributes });
}

/**
 * The early read used the state's record of the cluster. If it failed and the cloud read found that record out of date
 * (an endpoint it did not have yet), read again through what was just found; otherwise its answer, or its error, stands.
 */
async function readClusterAfter(early: Promise<Map<Address, Actual>> | undefined, recordOutOfDate: boolean, readCluster: () => Promise<Map<Address, Actual>>) {
  if (!early) return readCluster();
  try {
    return await early;
  } catch (err) {
    if (!recordOutOfDate) throw err;
    return readCluster();
  }
}

/** The connection, asked for on each use and made again only when the cluster's endpoint or CA changes. */
function lazyConnection(cluster: () => ClusterOutputs, connect: (cluster: ClusterOutputs) => Promise<ClusterConnection>): () => Promise<ClusterConnection> {
  let current: { key: string; connection: Promise<ClusterConnection> } | undefined;
  return () => {
    const outputs = cluster();
    const key = `${outputs.cluster.endpoint}\n${outputs.cluster.ca_certificate_pem}`;
    if (current?.key === key) return current.connection;
    const made = { key, connection: connect(outputs) };
    made.connection.catch(() => current === made && (current = undefined)); // a failed attempt is not kept
    current = made;
    return made.connection;
  };
}

/** The Kubernetes objects the state says were imported from Terraform, as recorded then. */
function importedObjects(state: State | undefined): Map<Address, Actual> {
  const actual = actualFrom(state);
  const imported = Object.entries(state?.resources ?? {}).filter(([address, r]) => isKubernetes(address) && r.imported_from_terraform);
  return new Map(imported.map(([address]) => [address, actual.get(address)!]));
}
