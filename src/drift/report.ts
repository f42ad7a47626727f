// The drift report for people and programs: the design document's §6.5 shape (cloud{…}, kubernetes{…}, summary),
// and the exact field-by-field differences `nic drift diff` prints. Pure.
import type { DriftReport, FieldDrift } from "../engine/diff.ts";
import { renderValue } from "../engine/render.ts";
import type { Address } from "../engine/types.ts";
import type { ConfigurationDisagreement } from "./configuration.ts";

/** One phase's drift: "cloud" (stage 02) or "kubernetes" (stage 03). */
export interface PhaseDrift {
  name: "cloud" | "kubernetes";
  report: DriftReport;
  /** Why the phase was not compared (e.g. the cluster is gone), when it was not. */
  skipped?: string;
}

export type Status = "in-sync" | "drifted" | "removed" | "added";

/** One resource in the §6.5 report: `drift`, and for each difference `field`, `state_value`, `actual_value`. */
export interface ResourceEntry {
  drift: boolean;
  status: Status;
  reason?: string;
  differences: FieldDrift[];
}

const REASONS: Record<PhaseDrift["name"], { added: string; removed: string }> = {
  cloud: { added: "exists in the cloud but not in state", removed: "in state but gone from the cloud" },
  kubernetes: { added: "exists in cluster but not in state", removed: "in state but gone from the cluster" },
};

/** `aws/eks_node_group/general` → ["eks_node_group", "general"]; `k8s/namespace/_cluster/dev` → ["namespace", "dev"]. */
export function groupAndName(address: Address): [string, string] {
  const [, kind = "", ...rest] = address.split("/");
  const name = rest[0] === "_cluster" ? rest.slice(1) : rest;
  return [kind, name.join("/")];
}

/** Every difference, flat: what `nic drift diff` prints and `drift accept` applies. */
export interface Difference extends FieldDrift {
  address: Address;
  phase: PhaseDrift["name"];
}

export interface DriftDocument {
  has_drift: boolean;
  cloud: Record<string, Record<string, ResourceEntry>>;
  kubernetes: Record<string, Record<string, ResourceEntry>>;
  /** Differences in fields NIC leaves to others (autoscaler, AWS): never drift unless --include-ignored. */
  ignored: Difference[];
  skipped: Record<string, string>;
  summary: DriftReport["summary"];
  /** The configuration against the state (not drift: the cloud may match the state while the configuration was edited). */
  configuration?: ConfigurationDisagreement & { differs: boolean };
}

export function driftDocument(phases: readonly PhaseDrift[], configuration?: ConfigurationDisagreement): DriftDocument {
  const doc: DriftDocument = {
    has_drift: phases.some((p) => p.report.has_drift),
    ...(configuration && { configuration: { differs: configuration.pending.length > 0, ...configuration } }),
    cloud: {},
    kubernetes: {},
    ignored: [],
    skipped: {},
    summary: { total_resources: 0, drifted_resources: 0, added_resources: 0, removed_resources: 0 },
  };
  for (const phase of phases) {
    const groups = doc[phase.name];
    const put = (address: Address, entry: ResourceEntry) => {
      const [group, name] = groupAndName(address);
      (groups[group] ??= {})[name] = entry;
    };
    for (const r of phase.report.resources) {
      const reason = r.status === "removed" ? { reason: REASONS[phase.name].removed } : {};
      put(r.address, { drift: r.status !== "in-sync", status: r.status, ...reason, differences: r.differences });
      doc.ignored.push(...r.ignored.map((d) => ({ address: r.address, phase: phase.name, ...d })));
    }
    for (const a of phase.report.added) put(a.address, { drift: true, status: "added", reason: REASONS[phase.name].added, differences: [] });
    if (phase.skipped) doc.skipped[phase.name] = phase.skipped;
    for (const key of Object.keys(doc.summary) as (keyof DriftReport["summary"])[]) doc.summary[key] += phase.report.summary[key];
  }
  return doc;
}

/** Every drifted field, every removed and added resource, in address order. */
export function differences(phases: readonly PhaseDrift[]) {
  const changed: Difference[] = [];
  const removed: Address[] = [];
  const added: Address[] = [];
  for (const phase of phases) {
    for (const r of phase.report.resources) {
      if (r.status === "removed") removed.push(r.address);
      changed.push(...r.differences.map((d) => ({ address: r.address, phase: phase.name, ...d })));
    }
    added.push(...phase.report.added.map((a) => a.address));
  }
  return { changed, removed, added };
}

/** `nic drift detect` for people: one line per drifted resource, its fields below. */
export function renderDetect(doc: DriftDocument): string {
  const { summary } = doc;
  const lines: string[] = [];
  for (const [phase, groups] of [["cloud", doc.cloud], ["kubernetes", doc.kubernetes]] as const) {
    for (const [group, entries] of Object.entries(groups)) {
      for (const [name, e] of Object.entries(entries)) {
        if (!e.drift) continue;
        const mark = { added: "+", removed: "-", drifted: "~", "in-sync": " " }[e.status];
        lines.push(`${mark} ${phase} ${group} ${name}${e.reason ? `  (${e.reason})` : ""}`);
        for (const d of e.differences) lines.push(`      ${d.field}: state ${renderValue(d.state_value)}, actual ${renderValue(d.actual_value)}`);
      }
    }
    if (doc.skipped[phase]) lines.push(`  ${phase}: not compared: ${doc.skipped[phase]}`);
  }
  if (doc.ignored.length) {
    lines.push("", `Ignored (owned by the autoscaler or AWS; --include-ignored reports them): ${doc.ignored.length}`);
    for (const d of doc.ignored) lines.push(`      ${d.address} ${d.field}: state ${renderValue(d.state_value)}, actual ${renderValue(d.actual_value)}`);
  }
  const counts = `${summary.drifted_resources} drifted, ${summary.added_resources} added, ${summary.removed_resources} removed, of ${summary.total_resources} resources in state`;
  lines.push("", doc.has_drift ? `Drift detected: ${counts}.` : `No drift: ${counts}.`);
  if (doc.has_drift) lines.push("Next: `nic drift diff` for the exact values, `nic drift accept` to record the cloud as it is, `nic drift fix` to restore the configuration.");
  const config = doc.configuration;
  if (config?.differs) {
    const since = config.changed_since_last_run ? "the configuration changed since the last deploy or import" : "the configuration asks for something else";
    lines.push("", `The state and the configuration disagree (${since}, not drift): the next deploy would make ${config.pending.length} change(s):`);
    for (const p of config.pending) lines.push(`  ${p.action} ${p.address}${p.fields.length ? `: ${p.fields.join(", ")}` : ""}`);
    lines.push("`nic deploy --dry-run` shows the plan.");
  } else if (config?.changed_since_last_run) lines.push("", "The configuration file changed since the last deploy or import, but asks for nothing new.");
  return lines.join("\n").replace(/^\n/, "");
}

/** `nic drift diff` for people: a unified-diff-like listing, state on the `-` side and the actual cloud on the `+` side. */
export function renderDiff(phases: readonly PhaseDrift[]): string {
  const { changed, removed, added } = differences(phases);
  if (!changed.length && !removed.length && !added.length) return "No differences between the state and the actual infrastructure.";
  const lines = ["--- state", "+++ actual"];
  let current: Address | undefined;
  for (const d of changed) {
    if (d.address !== current) lines.push(`@@ ${(current = d.address)} @@`);
    lines.push(`-${d.field}: ${renderValue(d.state_value)}`, `+${d.field}: ${renderValue(d.actual_value)}`);
  }
  for (const address of removed) lines.push(`@@ ${address} @@`, `-(the whole resource: in state, gone from the ${address.startsWith("k8s/") ? "cluster" : "cloud"})`);
  for (const address of added) lines.push(`@@ ${address} @@`, "+(the whole resource: exists, not in state)");
  return lines.join("\n");
}
