// Before the cloud teardown: every Service of type LoadBalancer in the cluster is deleted, and NIC waits until they are
// gone, so the cloud controller removes their load balancers while it still can (they would block the VPC otherwise).
import { sleep } from "../engine/retry.ts";
import { isNotFound, KubeClient, type ClusterConnection } from "../kubernetes/client.ts";

interface ServiceList {
  items?: Array<{ metadata: { name: string; namespace: string }; spec?: { type?: string } }>;
}

/**
 * Deletes them all and waits; returns `namespace/name` of each. Throws when they are still there after `waitMs`.
 * A cluster without an API endpoint yet (a deploy interrupted while it was CREATING) runs nothing: there is nothing to do.
 */
export async function deleteLoadBalancerServices(connection: ClusterConnection, signal: AbortSignal, waitMs = 10 * 60_000): Promise<string[]> {
  if (!connection.endpoint) return [];
  const client = new KubeClient(connection);
  const listed = async () => {
    const list = await client.request<ServiceList>("GET", "/api/v1/services", { signal });
    return (list.items ?? []).filter((s) => s.spec?.type === "LoadBalancer").map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
  };
  const services = await listed();
  for (const ref of services) {
    const [namespace, name] = ref.split("/") as [string, string];
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
    await client.request("DELETE", path, { signal }).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
  }
  const start = Date.now();
  for (let left = services; left.length; ) {
    if (Date.now() - start > waitMs) throw new Error(`LoadBalancer services still present after ${Math.round(waitMs / 1000)} s: ${left.join(", ")}`);
    await sleep(Math.min(2000, Math.max(100, (Date.now() - start) / 5)), signal);
    const now = new Set(await listed());
    left = left.filter((s) => now.has(s));
  }
  return services;
}
