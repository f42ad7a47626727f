// GKE clusters (container v1): PROVISIONING → RUNNING once the delay passed and the cluster's own Kubernetes API answers,
// STOPPING → gone. Each cluster gets a Kubernetes API (sandbox/kubernetes) that accepts Google access tokens; its
// LoadBalancer Services get a forwarding rule and a firewall, which outlive the cluster as they do on GCP.
import { startKubeApi } from "../kubernetes/index.ts";
import type { Resource } from "../world.ts";
import { hex } from "../world.ts";
import { T, type GcpContext, type KubeEntry } from "./context.ts";
import { alreadyExists, GcpError, invalid, notFound, nowIso } from "./http.ts";
import { createPoolRecord, renderNodePool, type NodePool } from "./node-pools.ts";
import { assertClusterIdle, startOperation } from "./operations.ts";
import { resolveVersion } from "./server-config.ts";

export interface Cluster extends Resource {
  name: string;
  project: string;
  location: string;
  status: "PROVISIONING" | "RUNNING" | "RECONCILING" | "STOPPING" | "ERROR";
  transitionAt: number;
  /** What the client asked for (enums as names), without node pools; updates change it. */
  spec: Record<string, any>;
  numericId: string;
  createTime: string;
  currentMasterVersion: string;
  resourceLabels: Record<string, string>;
}

export const clusterId = (project: string, location: string, name: string) => `${project}/${location}/${name}`;
const NAME = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;

export function getCluster(ctx: GcpContext, project: string, location: string, name: string): Cluster {
  const c = ctx.world.table<Cluster>(T.cluster).get(clusterId(project, location, name));
  if (!c) throw notFound(`projects/${project}/locations/${location}/clusters/${name}`);
  return c;
}

export function createCluster(ctx: GcpContext, project: string, location: string, body: any) {
  const spec = { ...(body.cluster ?? {}) };
  const name = String(spec.name ?? "");
  if (!NAME.test(name)) throw invalid(`Invalid value for field "cluster.name": "${name}". Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)'`);
  const id = clusterId(project, location, name);
  if (ctx.world.table(T.cluster).has(id)) throw alreadyExists(`projects/${project}/locations/${location}/clusters/${name}`);
  const pools: any[] = spec.nodePools ?? (spec.initialNodeCount ? [{ name: "default-pool", initialNodeCount: spec.initialNodeCount, config: spec.nodeConfig ?? {} }] : []);
  if (!pools.length) throw invalid('Cluster.initial_node_count must be greater than zero.');
  const version = resolveVersion(spec.initialClusterVersion);
  delete spec.nodePools;
  delete spec.initialNodeCount;
  delete spec.nodeConfig;
  spec.locations ??= [`${location}-a`];
  const now = Date.now();
  const cluster: Cluster = {
    type: T.cluster, id, name, tags: {}, project, location, spec,
    status: "PROVISIONING", transitionAt: now + ctx.delays().gkeClusterCreate,
    numericId: hex(32), createTime: nowIso(), currentMasterVersion: version, resourceLabels: spec.resourceLabels ?? {},
  };
  ctx.world.put(cluster);
  for (const p of pools) createPoolRecord(ctx, cluster, { version, ...p }, now + ctx.delays().gkeClusterCreate);
  startKube(ctx, cluster);
  return startOperation(ctx, { project, location, operationType: "CREATE_CLUSTER", clusterId: id, target: `projects/${project}/locations/${location}/clusters/${name}`, isDone: () => ctx.world.table<Cluster>(T.cluster).get(id)?.status !== "PROVISIONING" });
}

export function deleteCluster(ctx: GcpContext, project: string, location: string, name: string) {
  const c = getCluster(ctx, project, location, name);
  assertClusterIdle(ctx, c.id);
  c.status = "STOPPING";
  c.transitionAt = Date.now() + ctx.delays().gkeClusterDelete;
  ctx.world.changed();
  return startOperation(ctx, { project, location, operationType: "DELETE_CLUSTER", clusterId: c.id, target: `projects/${project}/locations/${location}/clusters/${name}`, isDone: () => !ctx.world.table(T.cluster).has(c.id) });
}

/** PUT …/clusters/{name} with `update.desired*` (both authorized-network spellings, node-pool autoscaling included). */
export function updateCluster(ctx: GcpContext, project: string, location: string, name: string, body: any) {
  const c = getCluster(ctx, project, location, name);
  if (c.status !== "RUNNING") throw new GcpError(400, "FAILED_PRECONDITION", `Cluster ${name} is not running (status ${c.status}).`);
  assertClusterIdle(ctx, c.id);
  const u = body.update ?? {};
  const pool = u.desiredNodePoolId ? ctx.world.table<NodePool>(T.nodePool).get(`${c.id}/${u.desiredNodePoolId}`) : undefined;
  if (u.desiredNodePoolId && !pool) throw notFound(`node pool ${u.desiredNodePoolId}`);
  if (u.desiredNodePoolAutoscaling) pool!.spec.autoscaling = u.desiredNodePoolAutoscaling;
  if (u.desiredNodeVersion && pool) pool.spec.version = resolveVersion(u.desiredNodeVersion);
  if (u.desiredImageType && pool) pool.spec.config = { ...pool.spec.config, imageType: u.desiredImageType };
  if (u.desiredMasterVersion) c.currentMasterVersion = resolveVersion(u.desiredMasterVersion);
  if (u.desiredLocations) c.spec.locations = u.desiredLocations;
  if (u.desiredReleaseChannel) c.spec.releaseChannel = u.desiredReleaseChannel;
  if (u.desiredWorkloadIdentityConfig) c.spec.workloadIdentityConfig = u.desiredWorkloadIdentityConfig;
  if (u.desiredMasterAuthorizedNetworksConfig) c.spec.masterAuthorizedNetworksConfig = u.desiredMasterAuthorizedNetworksConfig;
  const endpoints = u.desiredControlPlaneEndpointsConfig?.ipEndpointsConfig?.authorizedNetworksConfig;
  if (endpoints) c.spec.masterAuthorizedNetworksConfig = endpoints;
  c.status = "RECONCILING";
  c.transitionAt = Date.now() + ctx.delays().gkeClusterUpdate;
  ctx.world.changed();
  const type = u.desiredNodePoolAutoscaling || u.desiredNodeVersion || u.desiredImageType ? "UPDATE_CLUSTER" : u.desiredMasterVersion ? "UPGRADE_MASTER" : "UPDATE_CLUSTER";
  return startOperation(ctx, { project, location, operationType: type, clusterId: c.id, target: `projects/${project}/locations/${location}/clusters/${name}`, isDone: () => ctx.world.table<Cluster>(T.cluster).get(c.id)?.status !== "RECONCILING" });
}

export function setResourceLabels(ctx: GcpContext, project: string, location: string, name: string, body: any) {
  const c = getCluster(ctx, project, location, name);
  assertClusterIdle(ctx, c.id);
  c.resourceLabels = body.resourceLabels ?? {};
  ctx.world.changed();
  return startOperation(ctx, { project, location, operationType: "SET_LABELS", clusterId: c.id, target: `projects/${project}/locations/${location}/clusters/${name}`, isDone: () => true });
}

export function renderCluster(ctx: GcpContext, c: Cluster) {
  const kube = c.status === "PROVISIONING" ? undefined : kubeFor(ctx, c)?.api;
  const pools = [...ctx.world.table<NodePool>(T.nodePool).values()].filter((p) => p.clusterId === c.id).map((p) => renderNodePool(c, p));
  const s = c.spec;
  const channel = s.releaseChannel?.channel;
  const network = s.network ?? "default";
  const subnetwork = s.subnetwork ?? network;
  const self = `https://container.googleapis.com/v1/projects/${c.project}/locations/${c.location}/clusters/${c.name}`;
  return {
    ...s,
    name: c.name,
    id: c.numericId,
    nodePools: pools,
    masterAuth: {
      ...(kube && { clusterCaCertificate: Buffer.from(kube.caPem).toString("base64") }),
      clientCertificateConfig: s.masterAuth?.clientCertificateConfig ?? {},
    },
    network,
    subnetwork,
    networkConfig: { network: `projects/${c.project}/global/networks/${network}`, subnetwork: `projects/${c.project}/regions/${c.location}/subnetworks/${subnetwork}` },
    releaseChannel: channel && channel !== "UNSPECIFIED" ? { channel } : {},
    ipAllocationPolicy: s.ipAllocationPolicy ?? { useRoutes: true },
    locations: s.locations,
    resourceLabels: c.resourceLabels,
    labelFingerprint: Buffer.from(JSON.stringify(c.resourceLabels)).toString("hex").slice(0, 16) || "a9dc16a7",
    selfLink: self,
    zone: c.location,
    location: c.location,
    endpoint: kube ? new URL(kube.endpoint).host : undefined,
    initialClusterVersion: s.initialClusterVersion ?? c.currentMasterVersion,
    currentMasterVersion: c.currentMasterVersion,
    currentNodeVersion: pools[0]?.version ?? c.currentMasterVersion,
    currentNodeCount: pools.reduce((n, p) => n + (p.initialNodeCount ?? 0), 0),
    createTime: c.createTime,
    status: c.status,
    loggingService: s.loggingService ?? "logging.googleapis.com/kubernetes",
    monitoringService: s.monitoringService ?? "monitoring.googleapis.com/kubernetes",
    clusterIpv4Cidr: "10.4.0.0/14",
    servicesIpv4Cidr: "10.8.0.0/20",
    etag: c.numericId.slice(0, 8),
  };
}

export function listClusters(ctx: GcpContext, project: string, location: string) {
  const all = [...ctx.world.table<Cluster>(T.cluster).values()].filter((c) => c.project === project && (location === "-" || c.location === location));
  return { clusters: all.map((c) => renderCluster(ctx, c)) };
}

/** Advance transitions. A cluster turns RUNNING only once its Kubernetes API answers (or failed to start). */
export function settleClusters(ctx: GcpContext, now: number): void {
  for (const c of [...ctx.world.table<Cluster>(T.cluster).values()]) {
    if (c.status === "RUNNING" || c.status === "ERROR") continue;
    if (c.transitionAt > now) {
      ctx.world.due(c.transitionAt);
      continue;
    }
    if (c.status === "STOPPING") {
      for (const p of [...ctx.world.table<NodePool>(T.nodePool).values()]) if (p.clusterId === c.id) ctx.world.remove(T.nodePool, p.id);
      ctx.world.remove(T.cluster, c.id);
      void stopKube(ctx, c.id);
      continue;
    }
    const kube = ctx.kubeApis.get(c.id);
    if (kube && !kube.api && !kube.failed) {
      ctx.world.due(now + 20);
      continue;
    }
    c.status = "RUNNING";
    ctx.world.changed();
  }
}

function startKube(ctx: GcpContext, c: Cluster): KubeEntry {
  const entry: KubeEntry = {
    ready: startKubeApi({ name: c.name, kubernetesVersion: c.currentMasterVersion.split("-")[0], acceptToken: (token) => token === ctx.accessToken || token.startsWith("ya29.") }),
  };
  entry.ready.then(
    (api) => {
      entry.api = api;
      api.onLoadBalancer = (event) => serviceLoadBalancer(ctx, c, event);
    },
    (err) => {
      entry.failed = err;
      console.error(`sandbox: Kubernetes API for GKE cluster ${c.id} failed to start:`, err);
    },
  );
  ctx.kubeApis.set(c.id, entry);
  return entry;
}

/** A cluster read back from a state file gets a fresh, empty Kubernetes API. */
function kubeFor(ctx: GcpContext, c: Cluster): KubeEntry | undefined {
  return ctx.kubeApis.get(c.id) ?? startKube(ctx, c);
}

export async function stopKube(ctx: GcpContext, id: string): Promise<void> {
  const entry = ctx.kubeApis.get(id);
  ctx.kubeApis.delete(id);
  await entry?.ready.then((api) => api.stop(), () => {});
}

/** The network tag GKE puts on the cluster's nodes (`gke-<cluster>-<first 8 hex of its id>-node`); its firewalls target it. */
export const nodeTag = (c: Cluster) => `gke-${c.name}-${c.numericId.slice(0, 8)}-node`;

/**
 * GKE's service controller, per LoadBalancer Service: forwarding rule and target pool `a<31 hex>` (the pool holds the
 * nodes), firewall `k8s-fw-<same>` on the nodes' tag; and, while any exists, the cluster's HTTP health check
 * `k8s-<16 hex>-node` that the pools use, and its firewall `k8s-<same 16 hex>-node-http-hc`. Descriptions name the Service, as GKE writes them.
 */
function serviceLoadBalancer(ctx: GcpContext, c: Cluster, event: { namespace: string; name: string; action: "created" | "deleted" }) {
  const service = `${event.namespace}/${event.name}`;
  const ours = (type: string) => [...ctx.world.table<any>(type).values()].filter((r) => r.clusterId === c.id);
  const check = `k8s-${c.numericId.slice(0, 16)}-node`;
  const healthCheck = { type: T.firewall, id: `k8s-${c.numericId.slice(0, 16)}-node-http-hc`, tags: {}, project: c.project, clusterId: c.id, network: c.spec.network ?? "default", targetTags: [nodeTag(c)], sourceRanges: ["35.191.0.0/16", "130.211.0.0/22", "209.85.152.0/22", "209.85.204.0/22"], ports: ["10256"] };
  if (event.action === "deleted") {
    for (const r of ours(T.forwardingRule).filter((r) => r.service === service)) {
      for (const [type, id] of [[T.forwardingRule, r.id], [T.targetPool, r.name], [T.firewall, `k8s-fw-${r.name}`]] as const) ctx.world.remove(type, id);
    }
    if (!ours(T.forwardingRule).length) {
      ctx.world.remove(T.firewall, healthCheck.id);
      ctx.world.remove(T.httpHealthCheck, check);
    }
    return;
  }
  const name = `a${hex(31)}`;
  const octet = () => Math.floor(Math.random() * 254) + 1;
  const ip = `34.${octet()}.${octet()}.${octet()}`;
  const description = JSON.stringify({ "kubernetes.io/service-name": service, "kubernetes.io/service-ip": ip });
  const nodes = ours(T.nodePool).map((p) => `https://www.googleapis.com/compute/v1/projects/${c.project}/zones/${c.spec.locations?.[0] ?? `${c.location}-a`}/instances/gke-${c.name}-${p.name}-${hex(8)}-${hex(4)}`);
  const common = { tags: {}, project: c.project, clusterId: c.id, service, description };
  ctx.world.put({ type: T.forwardingRule, id: name, name, region: c.location, IPAddress: ip, ...common });
  ctx.world.put({ type: T.targetPool, id: name, name, region: c.location, instances: nodes, healthChecks: [check], ...common });
  ctx.world.put({ type: T.httpHealthCheck, id: check, name: check, tags: {}, project: c.project, clusterId: c.id, description: JSON.stringify({ "kubernetes.io/service-name": "k8s-node-hc" }) });
  ctx.world.put({ type: T.firewall, id: `k8s-fw-${name}`, name: `k8s-fw-${name}`, network: c.spec.network ?? "default", targetTags: [nodeTag(c)], ...common });
  ctx.world.put({ ...healthCheck, name: healthCheck.id, description: JSON.stringify({ "kubernetes.io/cluster-id": c.numericId.slice(0, 16) }) });
  return ip;
}
