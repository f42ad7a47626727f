// Nebari's defaults (nebari-stages.md §1.3, §1.7). Node groups given in the file replace these entirely.

export const DEFAULT_NODE_GROUPS = {
  aws: { general: ["m5.2xlarge", 1, 1], user: ["m5.xlarge", 0, 5], worker: ["m5.xlarge", 0, 5] },
  gcp: { general: ["e2-standard-8", 1, 1], user: ["e2-standard-4", 0, 5], worker: ["e2-standard-4", 0, 5] },
  azure: { general: ["Standard_D8_v3", 1, 1], user: ["Standard_D4_v3", 0, 5], worker: ["Standard_D4_v3", 0, 5] },
} as const;

export function defaultNodeGroups(provider: keyof typeof DEFAULT_NODE_GROUPS): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(DEFAULT_NODE_GROUPS[provider]).map(([name, [instance, min, max]]) => [name, { instance, min_nodes: min, max_nodes: max }]),
  );
}

export const DEFAULT_NODE_SELECTORS = {
  general: { key: "kubernetes.io/os", value: "linux" },
  user: { key: "kubernetes.io/os", value: "linux" },
  worker: { key: "kubernetes.io/os", value: "linux" },
};

/** Every group but `general` gets this taint unless `taints` is given (even `taints: []`). */
export const DEFAULT_TAINT = { key: "dedicated", value: "nebari", effect: "NoSchedule" } as const;

export const DEFAULT_VPC_CIDR = "10.10.0.0/16";
