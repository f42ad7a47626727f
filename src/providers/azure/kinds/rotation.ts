// What AKS cannot change on a live pool (name, vm size, subnet, max pods) changes on the system pool the way azurerm's
// temporary_name_for_rotation does it, so the cluster is kept: a temporary System pool with the new shape, the old pool
// deleted, the new one created under its name, the temporary pool deleted. Each step starts from what AKS shows, so a
// run killed midway resumes where it stopped (the cluster reports the leftover temporary pool, which plans this again).
import type { AgentPool, ContainerServiceClient } from "@azure/arm-containerservice";
import type { Attributes } from "../../../engine/types.ts";
import { isNotFound, orNotFound, waitFor } from "../errors.ts";
import { poolProperties } from "./pool-shape.ts";

/** Nebari's `temporary_name_for_rotation`: `"${substr(name, 0, 9)}tmp"`. */
export const temporaryPoolName = (name: string) => `${name.slice(0, 9)}tmp`;

/** The default_node_pool fields AKS cannot update in place (azurerm cycles the pool for these). */
export const ROTATED_FIELDS = ["name", "vm_size", "vnet_subnet_id", "max_pods"];

/** Whether an existing pool already has the shape the rotation would give it. */
function rotated(p: AgentPool | undefined, pool: Attributes): boolean {
  if (!p || p.mode !== "System" || p.vmSize !== pool.vm_size) return false;
  return (pool.max_pods == null || p.maxPods === pool.max_pods) && (!pool.vnet_subnet_id || p.vnetSubnetID === pool.vnet_subnet_id);
}

export async function rotateSystemPool(client: ContainerServiceClient, group: string, cluster: string, pool: Attributes, signal: AbortSignal): Promise<void> {
  const name = String(pool.name);
  const temporary = temporaryPoolName(name);
  const read = (poolName: string) => orNotFound(() => client.agentPools.get(group, cluster, poolName, { abortSignal: signal }));
  const settle = (poolName: string, want: "Succeeded" | "gone") => waitFor(`node pool ${poolName}`, () => read(poolName), (p) => p.provisioningState, want, signal, 60 * 60_000);
  const put = async (poolName: string) => {
    await client.agentPools.createOrUpdate(group, cluster, poolName, { ...poolProperties(pool), mode: "System" }, { abortSignal: signal }).submitted();
    await settle(poolName, "Succeeded");
  };
  const remove = async (poolName: string) => {
    try {
      await client.agentPools.delete(group, cluster, poolName, { abortSignal: signal }).submitted();
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await settle(poolName, "gone");
  };

  // AKS takes one operation at a time: let whatever a killed run left in progress finish first.
  const pools: AgentPool[] = [];
  for await (const p of client.agentPools.list(group, cluster, { abortSignal: signal })) pools.push(p);
  for (const p of pools) if (p.provisioningState !== "Succeeded") await settle(p.name!, p.provisioningState === "Deleting" ? "gone" : "Succeeded");

  const wanted = pools.find((p) => p.name === name);
  // The first group by name is now a group that exists as a User pool: AKS cannot turn it into the system pool with a new
  // shape, and its own planned delete would then remove the system pool. Refused rather than guessed.
  if (wanted && wanted.mode !== "System") {
    throw new Error(`node pool ${name} would become the system pool but exists as a User pool, which AKS cannot rotate into the system pool: give the first node group a name no pool has`);
  }
  if (!rotated(wanted, pool)) {
    if (!pools.some((p) => p.name === temporary)) await put(temporary);
    for (const p of pools) if (p.mode === "System" && p.name !== temporary) await remove(p.name!);
    await put(name);
  }
  await remove(temporary);
}
