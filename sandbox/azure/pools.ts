// AKS agent pools: their records, their wire shape, and the one-operation-at-a-time rule AKS enforces per cluster.
import type { World } from "../world.ts";
import { ArmError, key, notFound, type Route } from "./arm.ts";
import type { Lifecycle, Transitioning } from "./lifecycle.ts";

export const POOL = "azure:agent-pool";
export const CLUSTER = "azure:managed-cluster";

export interface PoolRecord extends Transitioning {
  clusterId: string;
  /** The pool's properties as AKS reports them (without provisioningState). */
  props: Record<string, any>;
}

/** Linux pool names: lower-case letters and digits, starting with a letter, at most 12 characters. */
const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

export function poolsOf(world: World, clusterId: string): PoolRecord[] {
  return [...world.table<PoolRecord>(POOL).values()].filter((p) => p.clusterId === clusterId).sort((a, b) => a.name.localeCompare(b.name));
}

/** AKS's defaults for what the request leaves out, then the request's own properties. */
export function poolProps(body: Record<string, any>, previous: Record<string, any> | undefined, kubernetesVersion: string): Record<string, any> {
  const props = { ...previous, ...body };
  delete props.name;
  delete props.provisioningState;
  const autoscale = props.enableAutoScaling === true;
  const version = props.orchestratorVersion || kubernetesVersion;
  return {
    vmSize: "Standard_DS2_v2",
    osDiskSizeGB: 128,
    osDiskType: "Managed",
    kubeletDiskType: "OS",
    osType: "Linux",
    osSKU: "Ubuntu",
    maxPods: 110,
    type: "VirtualMachineScaleSets",
    mode: "User",
    enableNodePublicIP: false,
    enableEncryptionAtHost: false,
    enableUltraSSD: false,
    enableFIPS: false,
    scaleDownMode: "Delete",
    upgradeSettings: { maxSurge: "10%" },
    nodeImageVersion: "AKSUbuntu-2204gen2containerd-202411.12.0",
    powerState: { code: "Running" },
    ...props,
    nodeLabels: props.nodeLabels ?? {},
    nodeTaints: props.nodeTaints ?? [],
    tags: props.tags ?? {},
    orchestratorVersion: version,
    currentOrchestratorVersion: version,
    // The autoscaler owns the count; a new pool starts at its minimum.
    count: autoscale ? Math.max(props.minCount ?? 0, Math.min(previous?.count ?? props.count ?? props.minCount ?? 0, props.maxCount ?? Number.MAX_SAFE_INTEGER)) : (props.count ?? 1),
    ...(props.maxPods === null || props.maxPods === undefined ? { maxPods: 110 } : {}),
  };
}

export function validatePool(name: string, props: Record<string, any>): void {
  if (!POOL_NAME.test(name)) throw new ArmError("InvalidParameter", `The value of parameter agentPoolProfile.name is invalid: '${name}'. Linux pool names must start with a lowercase letter, have at most 12 characters and contain only lowercase letters and numbers.`, 400);
  if (props.enableAutoScaling && (props.minCount === undefined || props.maxCount === undefined || props.minCount > props.maxCount)) {
    throw new ArmError("InvalidParameter", `Agent pool '${name}': minCount and maxCount are required with enableAutoScaling, and minCount must not exceed maxCount.`, 400);
  }
  for (const taint of props.nodeTaints ?? []) {
    if (!/^[^=:]+(=[^=:]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/.test(taint)) throw new ArmError("InvalidParameter", `Agent pool '${name}': invalid node taint '${taint}'.`, 400);
  }
  if (props.mode === "System" && props.nodeTaints?.some((t: string) => !t.startsWith("CriticalAddonsOnly"))) {
    throw new ArmError("InvalidParameter", `System pool '${name}' may only have the CriticalAddonsOnly taint.`, 400);
  }
}

export function poolBody(p: PoolRecord) {
  return { id: p.armId, name: p.name, type: "Microsoft.ContainerService/managedClusters/agentPools", properties: { ...p.props, provisioningState: p.provisioningState } };
}

/** AKS runs one operation per cluster at a time (cluster or any of its pools); another is refused with 409. */
export function requireIdle(world: World, clusterId: string): void {
  const cluster = world.table<Transitioning>(CLUSTER).get(clusterId);
  const busy = [cluster, ...poolsOf(world, clusterId)].find((r) => r && r.transitionAt != null);
  if (busy) {
    throw new ArmError("OperationNotAllowed", `Operation is not allowed because there's an in progress ${busy.provisioningState.toLowerCase()} operation on ${busy.type === CLUSTER ? "managed cluster" : "agent pool"} '${busy.name}'. Please wait for it to finish before starting a new operation.`, 409);
  }
}

export function poolRoutes(world: World, lifecycle: Lifecycle, clusterOf: (params: Record<string, string>) => Transitioning & { location: string; props: Record<string, any> }): Route[] {
  const P = "/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.containerservice/managedclusters/{cluster}/agentpools";
  const route = (method: string, path: string, action: string, handle: Route["handle"]): Route => ({ method, path, service: "containerservice", action, handle });
  const find = (params: Record<string, string>) => {
    const cluster = clusterOf(params);
    const p = world.table<PoolRecord>(POOL).get(key(`${cluster.armId}/agentPools/${params.pool}`));
    if (!p) throw notFound("Microsoft.ContainerService/managedClusters/agentPools", `${cluster.name}/${params.pool}`, params.rg);
    return { cluster, p };
  };
  return [
    route("GET", P, "AgentPools_List", (r) => ({ status: 200, body: { value: poolsOf(world, clusterOf(r.params).id).map(poolBody) } })),
    route("GET", `${P}/{pool}`, "AgentPools_Get", (r) => ({ status: 200, body: poolBody(find(r.params).p) })),
    route("PUT", `${P}/{pool}`, "AgentPools_CreateOrUpdate", (r) => {
      const cluster = clusterOf(r.params);
      if (cluster.provisioningState === "Deleting") throw new ArmError("OperationNotAllowed", `Managed cluster '${cluster.name}' is being deleted.`, 409);
      requireIdle(world, cluster.id);
      const armId = `${cluster.armId}/agentPools/${r.params.pool}`;
      const previous = world.table<PoolRecord>(POOL).get(key(armId));
      const body = r.body?.properties ?? {};
      if (previous && body.vmSize && body.vmSize !== previous.props.vmSize) throw new ArmError("PropertyChangeNotAllowed", "Changing property 'vmSize' is not allowed.", 400);
      const props = poolProps(body, previous?.props, cluster.props.kubernetesVersion);
      validatePool(r.params.pool!, props);
      const record: PoolRecord = { type: POOL, id: key(armId), armId, name: previous?.name ?? r.params.pool!, tags: props.tags, location: cluster.location, provisioningState: "Creating", clusterId: cluster.id, props };
      const op = lifecycle.begin(record, previous ? "Updating" : "Creating", "aksPoolCreate");
      return { status: previous ? 200 : 201, body: poolBody(record), headers: lifecycle.headers("Microsoft.ContainerService", cluster.location, op, false) };
    }),
    route("DELETE", `${P}/{pool}`, "AgentPools_Delete", (r) => {
      const cluster = clusterOf(r.params);
      const p = world.table<PoolRecord>(POOL).get(key(`${cluster.armId}/agentPools/${r.params.pool}`));
      if (!p) return { status: 204 };
      if (p.provisioningState === "Deleting") return { status: 202, headers: {} };
      requireIdle(world, cluster.id);
      const systems = poolsOf(world, cluster.id).filter((x) => x.props.mode === "System");
      if (p.props.mode === "System" && systems.length === 1) throw new ArmError("OperationNotAllowed", `Pool '${p.name}' is the only system pool of cluster '${cluster.name}'; a cluster needs at least one.`, 400);
      const op = lifecycle.begin(p, "Deleting", "aksPoolDelete");
      return { status: 202, headers: lifecycle.headers("Microsoft.ContainerService", cluster.location, op, true) };
    }),
  ];
}
