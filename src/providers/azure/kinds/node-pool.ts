// azure/kubernetes_cluster_node_pool: every node group but the first by name, a User pool with autoscaling and taints.
import type { AgentPool } from "@azure/arm-containerservice";
import type { Actual, Attributes, ResourceKind } from "../../../engine/types.ts";
import type { AzureClients } from "../clients.ts";
import { parseArmId } from "../arm-id.ts";
import { isNotFound, orNotFound, waitFor } from "../errors.ts";
import { AKS_SERIAL_KEY, keptCount, poolAttributes, poolProperties } from "./pool-shape.ts";

/** The group and cluster of a cluster's or a pool's ARM id. */
function parts(armId: string) {
  const id = parseArmId(armId);
  return { group: id?.group ?? "", cluster: id?.name ?? "" };
}

function toActual(p: AgentPool, clusterId: string, shape: Attributes | undefined): Actual {
  return {
    id: p.id!,
    attributes: { ...poolAttributes(p, shape), kubernetes_cluster_id: clusterId, mode: p.mode, node_taints: p.nodeTaints ?? [], provisioning_state: p.provisioningState },
    ...(p.provisioningState === "Deleting" ? { deleting: true } : {}),
  };
}

export function nodePoolKind(azure: AzureClients, names: { resourceGroup: string; cluster: string }): ResourceKind {
  async function read(clusterId: string | undefined, pool: string, signal: AbortSignal) {
    const { group, cluster } = clusterId ? parts(clusterId) : { group: names.resourceGroup, cluster: names.cluster };
    const client = await azure.containerService();
    // A pool whose cluster is gone is gone with it.
    return orNotFound(() => client.agentPools.get(group, cluster, pool, { abortSignal: signal }));
  }
  const clusterIdFromPool = (poolId: string) => poolId.replace(/\/agentPools\/[^/]+$/i, "");
  return {
    kind: "azure/kubernetes_cluster_node_pool",
    timeoutMs: 60 * 60_000,
    // A PUT by name: sent twice (a rerun after a kill), it makes one resource; the rerun need not wait for the first.
    createsOnce: true,
    serialKey: () => AKS_SERIAL_KEY,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const shape = l.desired?.attributes ?? l.tracked?.attributes;
          const name = parseArmId(l.tracked?.id)?.child ?? String(l.desired?.attributes.name);
          const p = await read(l.tracked?.id ? clusterIdFromPool(l.tracked.id) : undefined, name, signal);
          if (p) out.set(l.address, toActual(p, clusterIdFromPool(p.id!), shape));
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const a = resource.attributes;
      const clusterId = String(a.kubernetes_cluster_id);
      const { group, cluster } = parts(clusterId);
      const client = await azure.containerService();
      await client.agentPools.createOrUpdate(group, cluster, String(a.name), poolProperties(a), { abortSignal: signal }).submitted();
      const p = await read(clusterId, String(a.name), signal);
      if (!p) throw new Error(`AKS accepted node pool ${a.name} but does not show it`);
      return toActual(p, clusterId, a);
    },
    async update(resource, actual, changes, { signal }) {
      const a = resource.attributes;
      if (changes.every((c) => c.segments[0] === "provisioning_state")) return actual; // still settling: wait() waits
      const clusterId = String(actual.attributes.kubernetes_cluster_id);
      const { group, cluster } = parts(clusterId);
      const client = await azure.containerService();
      const current = await client.agentPools.get(group, cluster, String(actual.attributes.name), { abortSignal: signal });
      await client.agentPools.createOrUpdate(group, cluster, String(actual.attributes.name), { ...current, ...poolProperties(a), count: keptCount(current.count, a) }, { abortSignal: signal }).submitted();
      const p = await read(clusterId, String(actual.attributes.name), signal);
      return p ? toActual(p, clusterId, a) : actual;
    },
    async delete(actual, { signal }) {
      const { group, cluster } = parts(String(actual.attributes.kubernetes_cluster_id));
      const client = await azure.containerService();
      try {
        await client.agentPools.delete(group, cluster, String(actual.attributes.name), { abortSignal: signal }).submitted();
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async wait(actual, operation, { signal }) {
      const clusterId = String(actual.attributes.kubernetes_cluster_id);
      const name = String(actual.attributes.name);
      const p = await waitFor(`node pool ${name}`, () => read(clusterId, name, signal), (x) => x.provisioningState, operation === "delete" ? "gone" : "Succeeded", signal, 60 * 60_000);
      return p ? toActual(p, clusterId, actual.attributes) : actual;
    },
  };
}
