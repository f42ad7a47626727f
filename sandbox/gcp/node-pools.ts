// GKE node pools: PROVISIONING → RUNNING, RECONCILING → RUNNING after an update, STOPPING → gone. Every change is an
// operation on the cluster, so it waits for the cluster's previous one (FAILED_PRECONDITION until then).
import type { Resource } from "../world.ts";
import { T, type GcpContext } from "./context.ts";
import { alreadyExists, GcpError, invalid, notFound } from "./http.ts";
import { getCluster, type Cluster } from "./clusters.ts";
import { assertClusterIdle, startOperation } from "./operations.ts";
import { resolveVersion } from "./server-config.ts";

export interface NodePool extends Resource {
  clusterId: string;
  status: "PROVISIONING" | "RUNNING" | "RECONCILING" | "STOPPING" | "ERROR";
  transitionAt: number;
  spec: Record<string, any>;
}

const NAME = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;
const DEFAULT_SCOPES = ["https://www.googleapis.com/auth/devstorage.read_only", "https://www.googleapis.com/auth/logging.write", "https://www.googleapis.com/auth/monitoring"];

export function createPoolRecord(ctx: GcpContext, cluster: Cluster, spec: any, readyAt: number): NodePool {
  const name = String(spec.name ?? "");
  if (!NAME.test(name)) throw invalid(`Invalid value for field "node_pool.name": "${name}".`);
  const sa = spec.config?.serviceAccount;
  if (sa && sa !== "default" && ![...ctx.world.table<any>(T.serviceAccount).values()].some((a) => a.email === sa)) {
    throw invalid(`The service account "${sa}" does not exist.`);
  }
  const pool: NodePool = {
    type: T.nodePool, id: `${cluster.id}/${name}`, name, tags: {}, clusterId: cluster.id,
    status: "PROVISIONING", transitionAt: readyAt,
    spec: { ...spec, version: resolveVersion(spec.version ?? cluster.currentMasterVersion) },
  };
  ctx.world.put(pool);
  return pool;
}

function getPool(ctx: GcpContext, cluster: Cluster, name: string): NodePool {
  const p = ctx.world.table<NodePool>(T.nodePool).get(`${cluster.id}/${name}`);
  if (!p) throw notFound(`projects/${cluster.project}/locations/${cluster.location}/clusters/${cluster.name}/nodePools/${name}`);
  return p;
}

const target = (c: Cluster, pool: string) => `projects/${c.project}/locations/${c.location}/clusters/${c.name}/nodePools/${pool}`;

function runningCluster(ctx: GcpContext, project: string, location: string, name: string): Cluster {
  const c = getCluster(ctx, project, location, name);
  if (c.status !== "RUNNING") throw new GcpError(400, "FAILED_PRECONDITION", `Cluster ${name} is not ready (status ${c.status}).`);
  assertClusterIdle(ctx, c.id);
  return c;
}

export function createNodePool(ctx: GcpContext, project: string, location: string, clusterName: string, body: any) {
  const c = runningCluster(ctx, project, location, clusterName);
  const spec = body.nodePool ?? {};
  if (ctx.world.table(T.nodePool).has(`${c.id}/${spec.name}`)) throw alreadyExists(target(c, spec.name));
  const pool = createPoolRecord(ctx, c, spec, Date.now() + ctx.delays().gkeNodePoolCreate);
  return startOperation(ctx, { project, location, operationType: "CREATE_NODE_POOL", clusterId: c.id, target: target(c, pool.name!), isDone: () => ctx.world.table<NodePool>(T.nodePool).get(pool.id)?.status !== "PROVISIONING" });
}

export function deleteNodePool(ctx: GcpContext, project: string, location: string, clusterName: string, name: string) {
  const c = runningCluster(ctx, project, location, clusterName);
  const pool = getPool(ctx, c, name);
  pool.status = "STOPPING";
  pool.transitionAt = Date.now() + ctx.delays().gkeNodePoolDelete;
  ctx.world.changed();
  return startOperation(ctx, { project, location, operationType: "DELETE_NODE_POOL", clusterId: c.id, target: target(c, name), isDone: () => !ctx.world.table(T.nodePool).has(pool.id) });
}

/** PUT …/nodePools/{name} (labels, taints, tags, resource labels, machine and image type, version) and the set* verbs. */
export function updateNodePool(ctx: GcpContext, project: string, location: string, clusterName: string, name: string, body: any, verb?: string) {
  const c = runningCluster(ctx, project, location, clusterName);
  const pool = getPool(ctx, c, name);
  const s = pool.spec;
  const config = (s.config ??= {});
  if (verb === "setAutoscaling") s.autoscaling = body.autoscaling ?? {};
  else if (verb === "setManagement") s.management = body.management ?? {};
  else if (verb === "setSize") s.initialNodeCount = body.nodeCount;
  else {
    if (body.labels) config.labels = body.labels.labels ?? {};
    if (body.taints) config.taints = body.taints.taints ?? [];
    if (body.tags) config.tags = body.tags.tags ?? [];
    if (body.resourceLabels) config.resourceLabels = body.resourceLabels.labels ?? {};
    if (body.machineType) config.machineType = body.machineType;
    if (body.imageType) config.imageType = body.imageType;
    if (body.nodeVersion && body.nodeVersion !== "-") s.version = resolveVersion(body.nodeVersion);
    if (body.locations) s.locations = body.locations;
  }
  pool.status = "RECONCILING";
  pool.transitionAt = Date.now() + ctx.delays().gkeNodePoolUpdate;
  ctx.world.changed();
  const type = verb === "setAutoscaling" ? "SET_NODE_POOL_SIZE" : verb === "setManagement" ? "SET_NODE_POOL_MANAGEMENT" : "UPDATE_NODE_POOL";
  return startOperation(ctx, { project, location, operationType: type, clusterId: c.id, target: target(c, name), isDone: () => ctx.world.table<NodePool>(T.nodePool).get(pool.id)?.status !== "RECONCILING" });
}

export function renderNodePool(c: Cluster, p: NodePool) {
  const s = p.spec;
  const config = s.config ?? {};
  const zones: string[] = s.locations ?? c.spec.locations ?? [`${c.location}-a`];
  return {
    ...s,
    name: p.name,
    config: {
      machineType: "e2-medium",
      diskSizeGb: 100,
      diskType: "pd-balanced",
      imageType: "COS_CONTAINERD",
      serviceAccount: "default",
      oauthScopes: DEFAULT_SCOPES,
      metadata: { "disable-legacy-endpoints": "true" },
      ...config,
      // GKE adds its own resource labels (nebari-stages §2.2: Terraform ignores them).
      resourceLabels: { "goog-gke-node-pool-provisioning-model": config.spot ? "spot" : config.preemptible ? "preemptible" : "on-demand", ...(config.resourceLabels ?? {}) },
    },
    initialNodeCount: s.initialNodeCount ?? 0,
    autoscaling: s.autoscaling ?? {},
    management: s.management ?? { autoRepair: true, autoUpgrade: true },
    locations: zones,
    version: s.version,
    status: p.status,
    selfLink: `https://container.googleapis.com/v1/${target(c, p.name!)}`,
    instanceGroupUrls: zones.map((z) => `https://www.googleapis.com/compute/v1/projects/${c.project}/zones/${z}/instanceGroupManagers/gke-${c.name!.slice(0, 14)}-${p.name!.slice(0, 14)}-${p.id.length.toString(16).padStart(8, "0")}-grp`),
    podIpv4CidrSize: 24,
    upgradeSettings: s.upgradeSettings ?? { maxSurge: 1, strategy: "SURGE" },
    etag: p.transitionAt.toString(16),
  };
}

export function getNodePool(ctx: GcpContext, project: string, location: string, clusterName: string, name: string) {
  const c = getCluster(ctx, project, location, clusterName);
  return renderNodePool(c, getPool(ctx, c, name));
}

export function listNodePools(ctx: GcpContext, project: string, location: string, clusterName: string) {
  const c = getCluster(ctx, project, location, clusterName);
  return { nodePools: [...ctx.world.table<NodePool>(T.nodePool).values()].filter((p) => p.clusterId === c.id).map((p) => renderNodePool(c, p)) };
}

export function settleNodePools(ctx: GcpContext, now: number): void {
  for (const p of [...ctx.world.table<NodePool>(T.nodePool).values()]) {
    if (p.status === "RUNNING" || p.status === "ERROR") continue;
    if (p.transitionAt > now) {
      ctx.world.due(p.transitionAt);
      continue;
    }
    if (p.status === "STOPPING") ctx.world.remove(T.nodePool, p.id);
    else p.status = "RUNNING";
    ctx.world.changed();
  }
}
