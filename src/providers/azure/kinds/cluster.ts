// azure/kubernetes_cluster: the AKS cluster with its default (system) pool, as module.kubernetes creates it.
// A create or update returns once ARM accepted it; wait() reads until provisioningState is Succeeded.
import type { ManagedCluster } from "@azure/arm-containerservice";
import type { Actual, Attributes, Lookup, ResourceKind } from "../../../engine/types.ts";
import type { AzureClients } from "../clients.ts";
import { parseArmId } from "../arm-id.ts";
import { isNotFound, orNotFound, waitFor } from "../errors.ts";
import { AKS_SERIAL_KEY, keptCount, poolAttributes, poolProperties } from "./pool-shape.ts";
import { ROTATED_FIELDS, rotateSystemPool, temporaryPoolName } from "./rotation.ts";

/** The cluster as NIC records it: azurerm's argument names, then read-only facts (fqdn, issuer, current version). */
function toActual(c: ManagedCluster, shape: Attributes | undefined): Actual {
  // The system pool is the one named as wanted; during a rotation, another System pool that is not the temporary one.
  const wanted = (shape?.default_node_pool as Attributes | undefined)?.name as string | undefined;
  const temporary = wanted ? temporaryPoolName(wanted) : undefined;
  const profiles = c.agentPoolProfiles ?? [];
  const systems = profiles.filter((p) => p.mode === "System");
  const system = systems.find((p) => p.name === wanted) ?? systems.find((p) => p.name !== temporary) ?? systems[0] ?? profiles[0];
  const net = c.networkProfile;
  const wantedNetwork = shape?.network_profile as Record<string, unknown> | undefined;
  const network = wantedNetwork
    ? Object.fromEntries(Object.keys(wantedNetwork).map((k) => [k, ({ network_plugin: net?.networkPlugin, network_policy: net?.networkPolicy, service_cidr: net?.serviceCidr, dns_service_ip: net?.dnsServiceIP } as Record<string, unknown>)[k]]))
    : undefined;
  return {
    id: c.id!,
    attributes: {
      name: c.name,
      location: c.location,
      resource_group_name: parseArmId(c.id)?.group,
      dns_prefix: c.dnsPrefix,
      kubernetes_version: c.kubernetesVersion,
      node_resource_group: c.nodeResourceGroup,
      sku_tier: c.sku?.tier,
      identity: { type: c.identity?.type },
      api_server_access_profile: { authorized_ip_ranges: [...(c.apiServerAccessProfile?.authorizedIPRanges ?? [])].sort() },
      oidc_issuer_enabled: c.oidcIssuerProfile?.enabled ?? false,
      workload_identity_enabled: c.securityProfile?.workloadIdentity?.enabled ?? false,
      private_cluster_enabled: c.apiServerAccessProfile?.enablePrivateCluster ?? false,
      azure_policy_enabled: c.addonProfiles?.azurepolicy?.enabled ?? false,
      ...(network ? { network_profile: network } : {}),
      tags: c.tags ?? {},
      default_node_pool: system ? poolAttributes(system, shape?.default_node_pool as Attributes | undefined) : {},
      // A rotation's temporary pool outlives only a killed run: its presence plans the rotation again.
      temporary_node_pool: profiles.some((p) => p.name === temporary) ? temporary : null,
      fqdn: c.fqdn,
      oidc_issuer_url: c.oidcIssuerProfile?.issuerURL ?? null,
      current_kubernetes_version: c.currentKubernetesVersion,
      provisioning_state: c.provisioningState,
    },
    ...(c.provisioningState === "Deleting" ? { deleting: true } : {}),
  };
}

/** The request body: what Nebari's template sets, nothing else. */
function clusterBody(a: Attributes, current?: ManagedCluster): ManagedCluster {
  const pool = a.default_node_pool as Attributes;
  const network = a.network_profile as Record<string, string> | undefined;
  return {
    ...current,
    location: String(a.location),
    tags: a.tags as Record<string, string>,
    sku: { name: "Base", tier: String(a.sku_tier) as never },
    identity: { type: (a.identity as { type: string }).type as never },
    kubernetesVersion: String(a.kubernetes_version),
    dnsPrefix: String(a.dns_prefix),
    nodeResourceGroup: String(a.node_resource_group),
    apiServerAccessProfile: {
      ...current?.apiServerAccessProfile,
      authorizedIPRanges: (a.api_server_access_profile as { authorized_ip_ranges: string[] }).authorized_ip_ranges,
      enablePrivateCluster: Boolean(a.private_cluster_enabled),
    },
    oidcIssuerProfile: { enabled: Boolean(a.oidc_issuer_enabled) },
    securityProfile: { ...current?.securityProfile, workloadIdentity: { enabled: Boolean(a.workload_identity_enabled) } },
    addonProfiles: { ...current?.addonProfiles, azurepolicy: { enabled: Boolean(a.azure_policy_enabled) } },
    ...(network ? { networkProfile: { ...current?.networkProfile, networkPlugin: network.network_plugin as never, networkPolicy: network.network_policy as never, serviceCidr: network.service_cidr, dnsServiceIP: network.dns_service_ip } } : {}),
    agentPoolProfiles: current?.agentPoolProfiles ?? [{ name: String(pool.name), mode: "System", ...poolProperties(pool) }],
  };
}

const shapeOf = (l: Lookup) => (l.desired?.attributes ?? l.tracked?.attributes) as Attributes | undefined;

export function clusterKind(azure: AzureClients, names: { resourceGroup: string; cluster: string }): ResourceKind {
  async function read(group: string, name: string, signal: AbortSignal) {
    const client = await azure.containerService();
    return orNotFound(() => client.managedClusters.get(group, name, { abortSignal: signal }));
  }
  const where = (actual: Actual) => ({ group: String(actual.attributes.resource_group_name), name: String(actual.attributes.name) });
  return {
    kind: "azure/kubernetes_cluster",
    timeoutMs: 90 * 60_000,
    // A PUT by name: sent twice (a rerun after a kill), it makes one resource; the rerun need not wait for the first.
    createsOnce: true,
    serialKey: () => AKS_SERIAL_KEY,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const id = parseArmId(l.tracked?.id);
          const c = await read(id?.group ?? names.resourceGroup, id?.name ?? names.cluster, signal);
          if (c) out.set(l.address, toActual(c, shapeOf(l)));
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const client = await azure.containerService();
      const a = resource.attributes;
      await client.managedClusters.createOrUpdate(String(a.resource_group_name), String(a.name), clusterBody(a), { abortSignal: signal }).submitted();
      const c = await read(String(a.resource_group_name), String(a.name), signal);
      if (!c) throw new Error(`AKS accepted cluster ${a.name} but does not show it`);
      return toActual(c, a);
    },
    async update(resource, actual, changes, { signal }) {
      const client = await azure.containerService();
      const { group, name } = where(actual);
      const a = resource.attributes;
      // A provisioning_state change alone is a resource still settling: wait() waits for it, nothing is sent; a Failed
      // cluster is reconciled with a PUT of what it should be, as `az aks update` does.
      const failed = actual.attributes.provisioning_state === "Failed";
      const poolFields = ["default_node_pool", "temporary_node_pool", "provisioning_state"];
      if (failed || changes.some((c) => !poolFields.includes(c.segments[0]!))) {
        const current = await client.managedClusters.get(group, name, { abortSignal: signal });
        await client.managedClusters.createOrUpdate(group, name, clusterBody(a, current), { abortSignal: signal }).submitted();
        await waitFor(`cluster ${name}`, () => read(group, name, signal), (c) => c.provisioningState, "Succeeded", signal, 60 * 60_000);
      }
      const pool = a.default_node_pool as Attributes;
      const rotates = changes.some((c) => c.segments[0] === "temporary_node_pool" || (c.segments[0] === "default_node_pool" && ROTATED_FIELDS.includes(c.segments[1]!)));
      if (rotates) await rotateSystemPool(client, group, name, pool, signal);
      else if (changes.some((c) => c.segments[0] === "default_node_pool")) {
        const current = await client.agentPools.get(group, name, String(pool.name), { abortSignal: signal });
        await client.agentPools.createOrUpdate(group, name, String(pool.name), { ...current, mode: "System", ...poolProperties(pool), count: keptCount(current.count, pool) }, { abortSignal: signal }).submitted();
      }
      const c = await read(group, name, signal);
      return c ? toActual(c, a) : actual;
    },
    async delete(actual, { signal }) {
      const client = await azure.containerService();
      const { group, name } = where(actual);
      try {
        await client.managedClusters.delete(group, name, { abortSignal: signal }).submitted();
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async wait(actual, operation, { signal }) {
      const { group, name } = where(actual);
      const settled = async () => {
        // A cluster is ready when it and every pool it reports have settled (an update may touch the system pool).
        const c = await read(group, name, signal);
        if (!c || operation === "delete") return c;
        const busy = [c.provisioningState, ...(c.agentPoolProfiles ?? []).map((p) => p.provisioningState)].find((s) => s && s !== "Succeeded");
        return { ...c, provisioningState: busy ?? "Succeeded" };
      };
      const c = await waitFor(`cluster ${name}`, settled, (x) => x.provisioningState, operation === "delete" ? "gone" : "Succeeded", signal, 90 * 60_000);
      return c ? toActual(c, actual.attributes) : actual;
    },
  };
}
