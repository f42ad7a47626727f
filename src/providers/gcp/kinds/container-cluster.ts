// gcp/container_cluster: the regional GKE cluster. Created with a one-node default pool that is removed once the
// cluster runs (Terraform's remove_default_node_pool); NIC's node pools are their own resources.
import type { protos } from "@google-cloud/container";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import { sameValue } from "../../../engine/compare.ts";
import { poll } from "../../aws/poll.ts";
import type { GcpClients } from "../clients.ts";
import { minorVersion } from "../desired.ts";
import { gapic, orNotFound } from "../errors.ts";
import { gkeChange, untilDone } from "../operations.ts";

type Cluster = protos.google.container.v1.ICluster;
const TIMEOUT_MS = 40 * 60_000;
const DEFAULT_POOL = "default-pool";

export const clusterPath = (project: string, location: string, name: string) => `projects/${project}/locations/${location}/clusters/${name}`;

/** `projects/<p>/locations/<l>/clusters/<name>` (NIC's and Terraform's id) → its parts. */
function fromId(id: string | undefined) {
  const m = id && /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/.exec(id);
  return m ? { project: m[1], location: m[2], name: m[3] } : undefined;
}

function clusterActual(project: string, c: Cluster): Actual {
  const ip = c.ipAllocationPolicy;
  const authorized = c.masterAuthorizedNetworksConfig;
  const priv = c.privateClusterConfig;
  return {
    id: clusterPath(project, c.location!, c.name!),
    arn: c.selfLink ?? undefined,
    attributes: {
      project,
      location: c.location,
      name: c.name,
      // GKE's id: its first 8 hex name the nodes' network tag, which the firewalls of LoadBalancer Services target (teardown.ts).
      cluster_id: c.id ?? null,
      kubernetes_version: minorVersion(c.currentMasterVersion ?? ""),
      master_version: c.currentMasterVersion,
      node_locations: [...(c.locations ?? [])],
      release_channel: String(c.releaseChannel?.channel ?? "UNSPECIFIED"),
      networking_mode: ip?.useIpAliases ? "VPC_NATIVE" : "ROUTES",
      network: c.network,
      subnetwork: c.subnetwork ?? null,
      ip_allocation_policy: ip?.useIpAliases
        ? { cluster_secondary_range_name: ip.clusterSecondaryRangeName ?? "", services_secondary_range_name: ip.servicesSecondaryRangeName ?? "", cluster_ipv4_cidr_block: ip.clusterIpv4CidrBlock ?? "", services_ipv4_cidr_block: ip.servicesIpv4CidrBlock ?? "" }
        : null,
      master_authorized_networks: authorized?.enabled ? (authorized.cidrBlocks ?? []).map((b) => ({ cidr_block: b.cidrBlock, display_name: b.displayName ?? "" })) : null,
      private_cluster_config: priv?.enablePrivateNodes || priv?.enablePrivateEndpoint
        ? { enable_private_nodes: Boolean(priv.enablePrivateNodes), enable_private_endpoint: Boolean(priv.enablePrivateEndpoint), master_ipv4_cidr_block: priv.masterIpv4CidrBlock ?? "" }
        : null,
      workload_pool: c.workloadIdentityConfig?.workloadPool ?? null,
      issue_client_certificate: Boolean(c.masterAuth?.clientCertificateConfig?.issueClientCertificate),
      endpoint: c.endpoint ?? null,
      cluster_ca_certificate: c.masterAuth?.clusterCaCertificate ?? null,
      // Terraform's remove_default_node_pool: a run cut off after the create leaves it for the next run to remove.
      remove_default_node_pool: !(c.nodePools ?? []).some((p) => p.name === DEFAULT_POOL),
      status: String(c.status),
    },
  };
}

export function containerClusterKind(gcp: GcpClients): ResourceKind {
  const { project } = gcp;
  async function read(location: string, name: string): Promise<Actual | undefined> {
    const gke = await gcp.container();
    const found = await orNotFound(() => gapic(() => gke.getCluster({ name: clusterPath(project, location, name) })));
    return found && clusterActual(project, found[0]);
  }
  const parts = (actual: Actual) => ({ location: String(actual.attributes.location), name: String(actual.attributes.name) });
  const untilRunning = (location: string, name: string, signal: AbortSignal) =>
    poll(`GKE cluster ${name}`, async () => {
      const a = await read(location, name);
      if (!a) throw new Error(`GKE cluster ${name} disappeared while settling`);
      if (a.attributes.status === "ERROR" || a.attributes.status === "DEGRADED") throw new Error(`GKE cluster ${name} is ${a.attributes.status}`);
      return a.attributes.status === "RUNNING" ? a : undefined;
    }, signal, TIMEOUT_MS);

  async function removeDefaultPool(location: string, name: string, signal: AbortSignal) {
    const gke = await gcp.container();
    const pool = `${clusterPath(project, location, name)}/nodePools/${DEFAULT_POOL}`;
    await orNotFound(() => gkeChange(gke, `projects/${project}/locations/${location}`, `removing the default node pool of ${name}`, async () => (await gke.deleteNodePool({ name: pool }))[0], signal, TIMEOUT_MS));
  }

  return {
    kind: "gcp/container_cluster",
    // Created by name: a second create is refused, and create() adopts the cluster it finds.
    createsOnce: true,
    timeoutMs: TIMEOUT_MS,
    // One GKE operation per cluster at a time: the node pools share this key.
    serialKey: (_address, a) => `gke:${a.project}/${a.location}`,
    async observe(batch) {
      const out = new Map<string, Actual>();
      await Promise.all(batch.map(async (l) => {
        // By identity when there is one (the state's or Terraform's id), else by the desired name.
        const a = fromId(l.tracked?.id) ?? (l.desired?.attributes ?? l.tracked?.attributes)!;
        const actual = await read(String(a.location), String(a.name));
        if (actual) out.set(l.address, actual.attributes.status === "STOPPING" ? { ...actual, deleting: true } : actual);
      }));
      return out;
    },
    async create(resource, { signal }) {
      const gke = await gcp.container();
      const a = resource.attributes as any;
      const parent = `projects/${project}/locations/${a.location}`;
      const cluster: Cluster = {
        name: a.name,
        initialClusterVersion: a.kubernetes_version,
        locations: a.node_locations,
        initialNodeCount: 1,
        masterAuth: { clientCertificateConfig: { issueClientCertificate: a.issue_client_certificate } },
        releaseChannel: { channel: a.release_channel },
        network: a.network,
        ...(a.subnetwork && { subnetwork: a.subnetwork }),
        ipAllocationPolicy: a.ip_allocation_policy
          ? { useIpAliases: true, clusterSecondaryRangeName: a.ip_allocation_policy.cluster_secondary_range_name, servicesSecondaryRangeName: a.ip_allocation_policy.services_secondary_range_name, clusterIpv4CidrBlock: a.ip_allocation_policy.cluster_ipv4_cidr_block, servicesIpv4CidrBlock: a.ip_allocation_policy.services_ipv4_cidr_block }
          : { useRoutes: a.networking_mode === "ROUTES" },
        ...(a.master_authorized_networks && { masterAuthorizedNetworksConfig: authorizedNetworks(a.master_authorized_networks) }),
        ...(a.private_cluster_config && { privateClusterConfig: { enablePrivateNodes: a.private_cluster_config.enable_private_nodes, enablePrivateEndpoint: a.private_cluster_config.enable_private_endpoint, masterIpv4CidrBlock: a.private_cluster_config.master_ipv4_cidr_block } }),
        workloadIdentityConfig: { workloadPool: a.workload_pool },
      } as Cluster;
      try {
        const [op] = await gapic(() => gke.createCluster({ parent, cluster }));
        await untilDone(gke, parent, op, `creating GKE cluster ${a.name}`, signal, TIMEOUT_MS);
      } catch (err) {
        // A retried create after a lost answer: the cluster is there, and wait() settles it.
        if (!(await read(a.location, a.name))) throw err;
      }
      return (await read(a.location, a.name))!;
    },
    async update(resource, actual, _changes, { signal }) {
      const gke = await gcp.container();
      const a = resource.attributes as any;
      const { location, name } = parts(actual);
      const settled = actual.attributes.status === "RUNNING" ? actual : await untilRunning(location, name, signal);
      const before = settled.attributes as any;
      const path = clusterPath(project, location, name);
      const change = (what: string, update: protos.google.container.v1.IClusterUpdate) =>
        gkeChange(gke, `projects/${project}/locations/${location}`, `${what} of GKE cluster ${name}`, async () => (await gke.updateCluster({ name: path, update }))[0], signal, TIMEOUT_MS);
      if (a.kubernetes_version !== before.kubernetes_version) await change("the master version", { desiredMasterVersion: a.kubernetes_version });
      if (a.release_channel !== before.release_channel) await change("the release channel", { desiredReleaseChannel: { channel: a.release_channel } });
      if (!sameValue(a.master_authorized_networks, before.master_authorized_networks)) {
        await change("the authorized networks", { desiredMasterAuthorizedNetworksConfig: a.master_authorized_networks ? authorizedNetworks(a.master_authorized_networks) : { enabled: false } });
      }
      if (a.workload_pool !== before.workload_pool) await change("workload identity", { desiredWorkloadIdentityConfig: { workloadPool: a.workload_pool } });
      if (a.remove_default_node_pool && !before.remove_default_node_pool) await removeDefaultPool(location, name, signal);
      return (await untilRunning(location, name, signal))!;
    },
    async delete(actual, { signal }) {
      const gke = await gcp.container();
      const { location, name } = parts(actual);
      await orNotFound(() => gkeChange(gke, `projects/${project}/locations/${location}`, `deleting GKE cluster ${name}`, async () => (await gke.deleteCluster({ name: clusterPath(project, location, name) }))[0], signal, TIMEOUT_MS));
    },
    async wait(actual, operation, { signal }) {
      const { location, name } = parts(actual);
      if (operation === "delete") {
        await poll(`GKE cluster ${name} deletion`, async () => ((await read(location, name)) ? undefined : actual), signal, TIMEOUT_MS);
        return actual;
      }
      let running = await untilRunning(location, name, signal);
      if (operation === "create" && !running.attributes.remove_default_node_pool) {
        await removeDefaultPool(location, name, signal);
        running = await untilRunning(location, name, signal);
      }
      return running;
    },
  };
}

function authorizedNetworks(blocks: { cidr_block: string; display_name: string }[]) {
  return { enabled: true, cidrBlocks: blocks.map((b) => ({ cidrBlock: b.cidr_block, displayName: b.display_name })) };
}
