// One agent pool in both directions: azurerm's attribute names ↔ the AKS API's properties.
import type { AgentPool, ManagedClusterAgentPoolProfile } from "@azure/arm-containerservice";
import type { Attributes } from "../../../engine/types.ts";

/** AKS allows one operation per cluster at a time: the cluster and its pools share one queue. */
export const AKS_SERIAL_KEY = "aks-cluster-operations";

/** Recorded only when the config sets them (Nebari passes null, leaving AKS's default). */
const OPTIONAL = ["max_pods", "vnet_subnet_id"] as const;

/** The pool's attributes; `shape` (the desired or recorded attributes) says which optional ones to report. */
export function poolAttributes(p: AgentPool | ManagedClusterAgentPoolProfile, shape: Attributes | undefined): Attributes {
  const optional: Attributes = { max_pods: p.maxPods, vnet_subnet_id: p.vnetSubnetID };
  return {
    name: (p as { name?: string }).name,
    vm_size: p.vmSize,
    auto_scaling_enabled: p.enableAutoScaling ?? false,
    min_count: p.minCount ?? null,
    max_count: p.maxCount ?? null,
    node_labels: p.nodeLabels ?? {},
    orchestrator_version: p.orchestratorVersion,
    tags: p.tags ?? {},
    ...Object.fromEntries(OPTIONAL.filter((k) => shape && k in shape).map((k) => [k, optional[k]])),
    // Owned by AKS and the autoscaler: recorded, never compared.
    node_count: p.count ?? null,
    upgrade_settings: { max_surge: p.upgradeSettings?.maxSurge ?? null },
  };
}

/** The properties NIC sends for a pool (a new pool starts at its minimum; afterwards the autoscaler owns the count). */
export function poolProperties(a: Attributes): AgentPool {
  return {
    vmSize: String(a.vm_size),
    enableAutoScaling: Boolean(a.auto_scaling_enabled),
    minCount: a.min_count as number,
    maxCount: a.max_count as number,
    count: a.min_count as number,
    nodeLabels: a.node_labels as Record<string, string>,
    orchestratorVersion: String(a.orchestrator_version),
    tags: a.tags as Record<string, string>,
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    ...(a.mode ? { mode: a.mode as never } : {}),
    ...(a.node_taints ? { nodeTaints: a.node_taints as string[] } : {}),
    ...(a.max_pods != null ? { maxPods: a.max_pods as number } : {}),
    ...(a.vnet_subnet_id ? { vnetSubnetID: String(a.vnet_subnet_id) } : {}),
  };
}

/** The current node count, kept within new bounds (AKS refuses a count outside [min, max]). */
export function keptCount(current: number | undefined, a: Attributes): number {
  return Math.min(Math.max(current ?? (a.min_count as number), a.min_count as number), a.max_count as number);
}
