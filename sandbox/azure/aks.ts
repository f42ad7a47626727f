// AKS managed clusters: create/update as a long-running PUT (pools included), delete with the node resource group,
// user credentials that reach the cluster's own Kubernetes API (sandbox/kubernetes) with a client certificate.
import { stringify } from "yaml";
import type { KubeApiServer } from "../kubernetes/index.ts";
import type { World } from "../world.ts";
import { ArmError, groupId, key, normalLocation, notFound, requireGroup, SUBSCRIPTION_ID, TENANT_ID, type Route } from "./arm.ts";
import { GROUP, putGroup, contents, type GroupRecord } from "./groups.ts";
import type { Lifecycle, Transitioning } from "./lifecycle.ts";
import { CLUSTER, POOL, poolBody, poolProps, poolRoutes, poolsOf, requireIdle, validatePool, type PoolRecord } from "./pools.ts";

export interface ClusterRecord extends Transitioning {
  group: string;
  sku: Record<string, string>;
  identity: Record<string, string>;
  props: Record<string, any>;
}

export type AksKubeApi = Pick<KubeApiServer, "endpoint" | "caPem" | "adminCertPem" | "adminKeyPem" | "adminToken" | "onLoadBalancer" | "stop">;

export interface AksRuntime {
  startKubeApi?: (opts: { name: string; kubernetesVersion?: string }) => Promise<AksKubeApi>;
  /** Live Kubernetes APIs by cluster record id (never persisted). */
  kubeApis: Map<string, { ready: Promise<AksKubeApi>; api?: AksKubeApi }>;
}

/** Minor versions AKS offers in the sandbox, newest first, each with one patch. */
export const AKS_VERSIONS = ["1.34.1", "1.33.5", "1.32.9", "1.31.13", "1.30.14", "1.29.15"];

function resolveVersion(requested: string | undefined): string {
  const wanted = requested ?? AKS_VERSIONS[1]!;
  const found = AKS_VERSIONS.find((v) => v === wanted || v.startsWith(`${wanted}.`));
  if (!found && !/^\d+\.\d+\.\d+$/.test(wanted)) throw new ArmError("K8sVersionNotSupported", `Version ${wanted} is not supported in this region. Please use [az aks get-versions] command to get the supported version list in this region.`, 400);
  if (!found && !AKS_VERSIONS.some((v) => v.split(".").slice(0, 2).join(".") === wanted.split(".").slice(0, 2).join("."))) {
    throw new ArmError("K8sVersionNotSupported", `Version ${wanted} is not supported in this region.`, 400);
  }
  return found ?? wanted;
}

const hexOf = (id: string, n: number) => new Bun.CryptoHasher("sha256").update(id).digest("hex").slice(0, n);

export function clusterBody(world: World, c: ClusterRecord) {
  const pools = poolsOf(world, c.id).map((p) => ({ name: p.name, ...poolBody(p).properties }));
  return {
    id: c.armId,
    name: c.name,
    type: "Microsoft.ContainerService/ManagedClusters",
    location: c.location,
    tags: c.tags,
    sku: c.sku,
    identity: c.identity,
    properties: { ...c.props, provisioningState: c.provisioningState, agentPoolProfiles: pools },
  };
}

/** What AKS fills in around the request's properties. */
function clusterProps(c: { name: string; group: string; location: string; armId: string }, body: Record<string, any>, previous?: Record<string, any>) {
  const props = { ...previous, ...body };
  delete props.agentPoolProfiles;
  delete props.provisioningState;
  const version = resolveVersion(props.kubernetesVersion);
  const nodeResourceGroup = props.nodeResourceGroup || `MC_${c.group}_${c.name}_${c.location}`;
  const dnsPrefix = props.dnsPrefix;
  const hash = hexOf(c.armId, 8);
  const oidc = props.oidcIssuerProfile?.enabled === true;
  return {
    ...props,
    kubernetesVersion: props.kubernetesVersion ?? version,
    currentKubernetesVersion: version,
    dnsPrefix,
    fqdn: `${dnsPrefix.toLowerCase()}-${hash}.hcp.${c.location}.azmk8s.io`,
    azurePortalFQDN: `${dnsPrefix.toLowerCase()}-${hash}.portal.hcp.${c.location}.azmk8s.io`,
    nodeResourceGroup,
    enableRBAC: props.enableRBAC ?? true,
    supportPlan: props.supportPlan ?? "KubernetesOfficial",
    disableLocalAccounts: props.disableLocalAccounts ?? false,
    maxAgentPools: 100,
    powerState: { code: "Running" },
    servicePrincipalProfile: { clientId: "msi" },
    addonProfiles: props.addonProfiles ?? {},
    networkProfile: {
      networkPlugin: "kubenet", podCidr: "10.244.0.0/16", serviceCidr: "10.0.0.0/16", dnsServiceIP: "10.0.0.10",
      outboundType: "loadBalancer", loadBalancerSku: "standard", ipFamilies: ["IPv4"], ...props.networkProfile,
    },
    apiServerAccessProfile: { enablePrivateCluster: false, ...props.apiServerAccessProfile },
    oidcIssuerProfile: { enabled: oidc, ...(oidc ? { issuerURL: `https://${c.location}.oic.prod-aks.azure.com/${TENANT_ID}/${hexOf(`${c.armId}/oidc`, 32)}/` } : {}) },
    identityProfile: {
      kubeletidentity: {
        resourceId: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/${nodeResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${c.name}-agentpool`,
        clientId: uuidFrom(`${c.armId}/kubelet-client`),
        objectId: uuidFrom(`${c.armId}/kubelet-object`),
      },
    },
  };
}

const uuidFrom = (seed: string) => hexOf(seed, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");

export function aks(world: World, lifecycle: Lifecycle, runtime: AksRuntime): { routes: Route[]; drop(c: ClusterRecord): void } {
  const table = () => world.table<ClusterRecord>(CLUSTER);
  const C = "/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.containerservice/managedclusters";
  const route = (method: string, path: string, action: string, handle: Route["handle"]): Route => ({ method, path, service: "containerservice", action, handle });
  const armIdOf = (rg: string, name: string) => `${groupId(requireGroup(world, rg).name)}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  const find = (params: Record<string, string>): ClusterRecord => {
    const c = table().get(key(armIdOf(params.rg!, params.cluster!)));
    if (!c) throw notFound("Microsoft.ContainerService/managedClusters", params.cluster!, params.rg);
    return c;
  };

  function startKubeApi(c: ClusterRecord): void {
    if (!runtime.startKubeApi || runtime.kubeApis.has(c.id)) return;
    const entry: { ready: Promise<AksKubeApi>; api?: AksKubeApi } = { ready: runtime.startKubeApi({ name: c.name, kubernetesVersion: c.props.currentKubernetesVersion }) };
    entry.ready.then((api) => {
      entry.api = api;
      api.onLoadBalancer = (event) => loadBalancer(c, event);
    }, () => runtime.kubeApis.delete(c.id));
    runtime.kubeApis.set(c.id, entry);
  }

  /** A LoadBalancer Service gets a public IP in the node resource group, as the Azure cloud provider makes. */
  function loadBalancer(c: ClusterRecord, event: { namespace: string; name: string; action: "created" | "deleted" }): string | void {
    const ipName = `kubernetes-a${hexOf(`${event.namespace}/${event.name}`, 31)}`;
    const armId = `${groupId(c.props.nodeResourceGroup)}/providers/Microsoft.Network/publicIPAddresses/${ipName}`;
    if (event.action === "deleted") return void world.remove("azure:public-ip", key(armId));
    const live = world.table<GroupRecord>(GROUP).get(key(groupId(c.props.nodeResourceGroup)));
    if (!live) return;
    const ip = `20.${parseInt(hexOf(armId, 2), 16)}.${parseInt(hexOf(`${armId}1`, 2), 16)}.${parseInt(hexOf(`${armId}2`, 2), 16)}`;
    world.put({ type: "azure:public-ip", id: key(armId), armId, name: ipName, location: c.location, tags: { "k8s-azure-service": `${event.namespace}/${event.name}` }, provisioningState: "Succeeded", ipAddress: ip } as never);
    return ip;
  }

  /** The cluster, its pools, its node resource group and everything in it; its Kubernetes API stops. */
  function drop(c: ClusterRecord): void {
    for (const p of poolsOf(world, c.id)) world.remove(POOL, p.id);
    const nodeGroup = c.props.nodeResourceGroup as string;
    for (const r of contents(world, nodeGroup)) world.remove(r.type, r.id);
    world.remove(GROUP, key(groupId(nodeGroup)));
    const kube = runtime.kubeApis.get(c.id);
    runtime.kubeApis.delete(c.id);
    void kube?.ready.then((api) => api.stop(), () => {});
  }

  lifecycle.finishers.set(CLUSTER, (record) => {
    const c = record as ClusterRecord;
    if (c.transitionTo === "gone") return void drop(c);
    // A new cluster is ready once its Kubernetes API answers.
    if (runtime.startKubeApi && !runtime.kubeApis.get(c.id)?.api) return (startKubeApi(c), false);
    for (const p of poolsOf(world, c.id)) if (p.transitionAt !== undefined) p.transitionAt = 0;
  });
  lifecycle.finishers.set(POOL, () => {});

  function credentials(params: Record<string, string>, user: "clusterUser" | "clusterAdmin") {
    const c = find(params);
    const api = runtime.kubeApis.get(c.id)?.api;
    if (c.provisioningState !== "Succeeded" && c.provisioningState !== "Updating" || !api) {
      throw new ArmError("OperationNotAllowed", `Managed cluster '${c.name}' is ${c.provisioningState.toLowerCase()}; its credentials are not available yet.`, 409);
    }
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const userName = `${user}_${c.group}_${c.name}`;
    const kubeconfig = stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: c.name, cluster: { server: api.endpoint, "certificate-authority-data": b64(api.caPem) } }],
      contexts: [{ name: c.name, context: { cluster: c.name, user: userName } }],
      "current-context": c.name,
      preferences: {},
      users: [{ name: userName, user: { "client-certificate-data": b64(api.adminCertPem), "client-key-data": b64(api.adminKeyPem), token: api.adminToken } }],
    });
    return { status: 200, body: { kubeconfigs: [{ name: user, value: b64(kubeconfig) }] } };
  }

  const routes = [
    route("GET", "/subscriptions/{sub}/providers/microsoft.containerservice/managedclusters", "ManagedClusters_List", () => ({ status: 200, body: { value: [...table().values()].map((c) => clusterBody(world, c)) } })),
    route("GET", C, "ManagedClusters_ListByResourceGroup", (r) => {
      const rg = requireGroup(world, r.params.rg!);
      return { status: 200, body: { value: [...table().values()].filter((c) => c.group.toLowerCase() === rg.name.toLowerCase()).map((c) => clusterBody(world, c)) } };
    }),
    route("GET", `${C}/{cluster}`, "ManagedClusters_Get", (r) => ({ status: 200, body: clusterBody(world, find(r.params)) })),
    route("PUT", `${C}/{cluster}`, "ManagedClusters_CreateOrUpdate", (r) => {
      const rg = requireGroup(world, r.params.rg!);
      const armId = armIdOf(r.params.rg!, r.params.cluster!);
      const previous = table().get(key(armId));
      const body = r.body ?? {};
      const props = body.properties ?? {};
      if (!body.location) throw new ArmError("LocationRequired", "The location property is required for this definition.", 400);
      const location = normalLocation(body.location);
      if (previous) {
        if (previous.provisioningState === "Deleting") throw new ArmError("OperationNotAllowed", `Managed cluster '${previous.name}' is being deleted.`, 409);
        requireIdle(world, previous.id);
        if (previous.location !== location) throw new ArmError("PropertyChangeNotAllowed", "Changing property 'location' is not allowed.", 400);
        for (const field of ["dnsPrefix", "nodeResourceGroup"]) {
          if (props[field] !== undefined && props[field] !== previous.props[field]) throw new ArmError("PropertyChangeNotAllowed", `Changing property '${field}' is not allowed.`, 400);
        }
      } else {
        if (!props.dnsPrefix) throw new ArmError("InvalidParameter", "The value of parameter dnsPrefix is invalid: it is required.", 400);
        const profiles: any[] = props.agentPoolProfiles ?? [];
        if (!profiles.some((p) => p.mode === "System")) throw new ArmError("InvalidParameter", "A managed cluster needs at least one agent pool of mode System.", 400);
        const nodeGroup = props.nodeResourceGroup || `MC_${rg.name}_${r.params.cluster}_${location}`;
        if (world.table(GROUP).has(key(groupId(nodeGroup)))) throw new ArmError("NodeResourceGroupAlreadyExists", `Node resource group '${nodeGroup}' already exists; AKS needs a new one.`, 400);
      }
      const name = previous?.name ?? r.params.cluster!;
      const record: ClusterRecord = {
        type: CLUSTER, id: key(armId), armId, name, group: rg.name, location, tags: body.tags ?? previous?.tags ?? {}, provisioningState: "Creating",
        sku: body.sku ?? previous?.sku ?? { name: "Base", tier: "Free" },
        identity: previous?.identity ?? { type: body.identity?.type ?? "SystemAssigned", principalId: uuidFrom(`${armId}/principal`), tenantId: TENANT_ID },
        props: {},
      };
      record.props = clusterProps({ name, group: rg.name, location, armId }, props, previous?.props);
      const version = record.props.currentKubernetesVersion;
      const profiles: any[] = props.agentPoolProfiles ?? [];
      for (const profile of profiles) {
        const pool = world.table<PoolRecord>(POOL).get(key(`${armId}/agentPools/${profile.name}`));
        const poolProps_ = poolProps(profile, pool?.props, version);
        validatePool(profile.name, poolProps_);
      }
      const op = lifecycle.begin(record, previous ? "Updating" : "Creating", previous ? "aksPoolCreate" : "aksClusterCreate");
      for (const profile of profiles) {
        const poolArmId = `${armId}/agentPools/${profile.name}`;
        const pool = world.table<PoolRecord>(POOL).get(key(poolArmId));
        world.put<PoolRecord>({ type: POOL, id: key(poolArmId), armId: poolArmId, name: pool?.name ?? profile.name, location, tags: profile.tags ?? {}, clusterId: record.id,
          props: poolProps(profile, pool?.props, version), provisioningState: previous ? "Updating" : "Creating", transitionAt: record.transitionAt, transitionTo: "Succeeded" });
      }
      if (!previous) {
        putGroup(world, record.props.nodeResourceGroup, location, {}, armId);
        startKubeApi(record);
      }
      return { status: previous ? 200 : 201, body: clusterBody(world, record), headers: lifecycle.headers("Microsoft.ContainerService", location, op, false) };
    }),
    route("PATCH", `${C}/{cluster}`, "ManagedClusters_UpdateTags", (r) => {
      const c = find(r.params);
      requireIdle(world, c.id);
      c.tags = r.body?.tags ?? {};
      world.put(c);
      return { status: 200, body: clusterBody(world, c) };
    }),
    route("DELETE", `${C}/{cluster}`, "ManagedClusters_Delete", (r) => {
      const c = table().get(key(armIdOf(r.params.rg!, r.params.cluster!)));
      if (!c) return { status: 204 };
      if (c.provisioningState !== "Deleting") {
        const op = lifecycle.begin(c, "Deleting", "aksClusterDelete");
        return { status: 202, headers: lifecycle.headers("Microsoft.ContainerService", c.location, op, true) };
      }
      return { status: 202, headers: { "Retry-After": "1" } };
    }),
    route("POST", `${C}/{cluster}/listclusterusercredential`, "ManagedClusters_ListClusterUserCredentials", (r) => credentials(r.params, "clusterUser")),
    route("POST", `${C}/{cluster}/listclusteradmincredential`, "ManagedClusters_ListClusterAdminCredentials", (r) => credentials(r.params, "clusterAdmin")),
    route("GET", "/subscriptions/{sub}/providers/microsoft.containerservice/locations/{location}/orchestrators", "ContainerServices_ListOrchestrators", (r) => ({
      status: 200,
      body: {
        id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.ContainerService/locations/${r.params.location}/orchestrators`, name: "default", type: "Microsoft.ContainerService/locations/orchestrators",
        properties: { orchestrators: AKS_VERSIONS.map((v, i) => ({ orchestratorType: "Kubernetes", orchestratorVersion: v, ...(i === 1 ? { default: true } : {}), upgrades: AKS_VERSIONS.slice(Math.max(0, i - 1), i).map((u) => ({ orchestratorType: "Kubernetes", orchestratorVersion: u })) })) },
      },
    })),
    route("GET", "/subscriptions/{sub}/providers/microsoft.containerservice/locations/{location}/kubernetesversions", "ManagedClusters_ListKubernetesVersions", () => ({
      status: 200,
      body: { values: AKS_VERSIONS.map((v, i) => ({ version: v.split(".").slice(0, 2).join("."), isDefault: i === 1, isPreview: false, patchVersions: { [v]: { upgrades: AKS_VERSIONS.slice(Math.max(0, i - 1), i) } } })) },
    })),
    ...poolRoutes(world, lifecycle, (params) => find(params)),
  ];
  return { routes, drop };
}

