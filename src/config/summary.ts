// What `nic validate` reports: the provider, the names NIC will use, node groups with their effective taints, warnings and notes.
import type { LoadedConfig } from "./load.ts";
import type { NodeGroup } from "./model.ts";
import { formatTaint } from "./sections.ts";

export function summarize({ file, config, warnings, notes, hash }: LoadedConfig) {
  const block = config.amazon_web_services ?? config.google_cloud_platform ?? config.azure;
  const groups: NodeGroup[] = block?.node_groups ?? [];
  const selectors = (config.local ?? config.existing)?.node_selectors;
  return {
    file,
    provider: config.provider,
    project_name: config.project_name,
    namespace: config.namespace,
    escaped_project_name: config.escaped_project_name,
    cluster_name: config.cluster_name,
    region: block?.region ?? null,
    kubernetes_version: block?.kubernetes_version ?? null,
    storage: config.storage,
    node_groups: groups.map((g) => ({ ...g, taints: g.taints.map(formatTaint) })),
    node_selectors: selectors ?? null,
    configuration_hash: hash,
    warnings: warnings.map(({ path, line, column, message, hint, text }) => ({ path, line, column, message, hint, text })),
    notes,
  };
}

export function renderSummary(s: ReturnType<typeof summarize>): string {
  const lines = [
    `${s.file}: valid Nebari configuration`,
    `  provider:    ${s.provider}${s.region ? ` (${s.region})` : ""}`,
    `  cluster:     ${s.cluster_name}${s.kubernetes_version ? `, Kubernetes ${s.kubernetes_version}` : ""}`,
    `  storage:     ${s.storage.type}`,
  ];
  if (s.node_groups.length) {
    lines.push("  node groups:");
    const width = Math.max(...s.node_groups.map((g) => g.name.length));
    for (const g of s.node_groups) {
      lines.push(`    ${g.name.padEnd(width)}  ${g.instance}  ${g.min_nodes}..${g.max_nodes}  taints: ${g.taints.length ? g.taints.join(", ") : "none"}`);
    }
  }
  if (s.node_selectors) {
    lines.push("  node selectors:");
    for (const [name, sel] of Object.entries(s.node_selectors)) lines.push(`    ${name}: ${sel.key}=${sel.value}`);
  }
  for (const n of s.notes) lines.push(`  note: ${n.path}: ${n.message}`);
  for (const w of s.warnings) lines.push(`  warning: ${w.text}`);
  return lines.join("\n");
}
