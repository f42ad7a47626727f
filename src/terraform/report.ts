// The validation report of design document §10.2 step 3, as a document and as text: resources found / missing /
// unexpected, configuration match, outputs, the cluster endpoint, and the state that would be (or was) written.
import type { NebariConfig } from "../config/model.ts";
import { renderValue } from "../engine/render.ts";
import { mapStates, outputsCheck, type ImportCheck } from "./import.ts";
import type { LoadedTerraformState } from "./tfstate.ts";
import type { Facts, MappedResource } from "./map.ts";
import { changesOf, type PhaseVerification } from "./verify.ts";

export interface ConfigMatch {
  check: string;
  ok: boolean;
  terraform: unknown;
  config: unknown;
}

/** Node groups, Kubernetes version and instance types as Terraform recorded them, against the config. */
export function configMatch(config: NebariConfig, mapped: MappedResource[]): ConfigMatch[] {
  const facts: Facts[] = mapped.flatMap((m) => (m.facts ? [m.facts] : []));
  const groups = new Map(facts.flatMap((f) => f.node_groups ?? []).map((g) => [g.name, g]));
  const block = config.amazon_web_services ?? config.google_cloud_platform ?? config.azure;
  const wanted = (block?.node_groups ?? []) as { name: string; instance: string; min_nodes: number; max_nodes: number }[];
  const version = facts.find((f) => f.kubernetes_version)?.kubernetes_version;
  const sameVersion = !version || !block || version === block.kubernetes_version || version.startsWith(`${block.kubernetes_version}.`);
  const checks: ConfigMatch[] = [
    { check: "node groups", ok: sameSet([...groups.keys()], wanted.map((g) => g.name)), terraform: [...groups.keys()].sort(), config: wanted.map((g) => g.name).sort() },
    { check: "kubernetes version", ok: sameVersion, terraform: version ?? null, config: block?.kubernetes_version ?? null },
  ];
  for (const g of wanted) {
    const t = groups.get(g.name);
    if (!t) continue;
    checks.push({ check: `node group ${g.name} instance type`, ok: t.instance === undefined || t.instance === g.instance, terraform: t.instance ?? null, config: g.instance });
    checks.push({ check: `node group ${g.name} size`, ok: (t.min ?? g.min_nodes) === g.min_nodes && (t.max ?? g.max_nodes) === g.max_nodes, terraform: [t.min ?? null, t.max ?? null], config: [g.min_nodes, g.max_nodes] });
  }
  return checks;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function phaseDocument(v: PhaseVerification) {
  return {
    found: v.found.map((f) => ({ address: f.address, terraform: f.terraform, id: f.actual.id, ...(f.history ? { history: f.history } : {}) })),
    missing: v.missing.map((m) => ({ address: m.address, terraform: m.terraform, id: m.id, ...(m.history ? { history: m.history } : {}) })),
    conflicts: v.conflicts.map((c) => ({ address: c.address, terraform: c.terraform, terraform_id: c.id, found_id: c.found.id, adopted: c.adopted, ...(c.history ? { history: c.history } : {}) })),
    not_wanted: v.notWanted.map((m) => ({ address: m.address, terraform: m.terraform })),
    not_in_terraform: v.notInTerraform,
    unmanaged: v.unmanaged,
    kept_from_import: v.kept,
    changes: changesOf(v).map((e) => ({ address: e.address, action: e.action, fields: e.changes.map((c) => ({ path: c.path, actual: c.before, config: c.after, ...(c.forcesReplacement ? { forces_replacement: true } : {}) })), ...(e.reason ? { reason: e.reason } : {}) })),
  };
}

/** What keeps an import from being a management transfer with zero changes. */
export interface Blocker {
  kind: "unreachable" | "missing" | "conflict" | "untracked" | "change";
  address?: string;
  text: string;
}

export function blockersOf(check: ImportCheck): Blocker[] {
  const out: Blocker[] = [];
  if (!check.cluster.reachable) out.push({ kind: "unreachable", text: `the cluster endpoint ${check.cluster.endpoint || "(unknown)"} is not reachable: ${check.cluster.error}` });
  for (const p of [check.cloud, check.kubernetes].filter((x): x is PhaseVerification => Boolean(x))) {
    const named = new Set<string>();
    const add = (b: Blocker) => (named.add(b.address!), out.push(b));
    const older = (history?: string) => (history ? `; older Nebari: ${history}` : "");
    for (const m of p.missing) add({ kind: "missing", address: m.address, text: `${m.terraform}: the id Terraform recorded (${m.id}) no longer exists${older(m.history)}` });
    for (const c of p.conflicts.filter((x) => !x.adopted))
      add({ kind: "conflict", address: c.address, text: `${c.terraform}: Terraform recorded ${c.id}, but ${c.found.id} was found under its name (another resource; not adopted without --adopt-conflicts)${older(c.history)}` });
    for (const n of p.notInTerraform.filter((x) => x.exists && !x.adopted))
      add({ kind: "untracked", address: n.address, text: `not in the Terraform state, yet ${n.id} exists under its name (not adopted: import takes only what Terraform recorded)` });
    for (const e of changesOf(p).filter((x) => !named.has(x.address))) {
      const fields = e.changes.map((c) => `${c.path}${c.forcesReplacement && !e.reason ? " (forces replacement)" : ""}`).join(", ");
      add({ kind: "change", address: e.address, text: `the next deploy would ${e.action} it${fields ? `: ${fields}` : ""}${e.reason ? ` (${e.reason})` : ""}` });
    }
  }
  return out;
}

/** Ready for management transfer: every resource verified by identity, nothing NIC would change, the cluster reachable. */
export function isReady(check: ImportCheck): boolean {
  return blockersOf(check).length === 0;
}

export function validationDocument(config: NebariConfig, check: ImportCheck) {
  const mapped = [...check.stage02.mapping.mapped, ...(check.stage03?.mapping.mapped ?? [])];
  return {
    ready: isReady(check),
    blockers: blockersOf(check),
    terraform_states: { stage02: check.stage02.location, stage03: check.stage03?.location ?? null },
    skipped: [...check.stage02.mapping.skipped, ...(check.stage03?.mapping.skipped ?? [])],
    cloud: phaseDocument(check.cloud),
    kubernetes: check.kubernetes ? phaseDocument(check.kubernetes) : null,
    configuration_match: configMatch(config, mapped),
    outputs: check.outputs,
    cluster: check.cluster,
  };
}

const mark = (ok: boolean) => (ok ? "✓" : "✗");

export function renderValidation(doc: ReturnType<typeof validationDocument>): string {
  const lines = ["Resource Verification:"];
  for (const [name, phase] of [["cloud", doc.cloud], ["Kubernetes", doc.kubernetes]] as const) {
    if (!phase) {
      lines.push(`${mark(false)} ${name} resources not verified: the cluster was not reachable`);
      continue;
    }
    const total = phase.found.length + phase.missing.length;
    lines.push(`${mark(phase.missing.length === 0)} ${name} resources found (${phase.found.length}/${total})`);
    for (const m of phase.missing) lines.push(`    missing: ${m.address} (${m.terraform}, id ${m.id})${m.history ? `; older Nebari: ${m.history}` : ""}`);
    for (const c of phase.conflicts) lines.push(`    ${c.adopted ? "adopted look-alike" : "conflict"}: ${c.address} (${c.terraform}): Terraform recorded ${c.terraform_id}, found ${c.found_id}`);
    for (const f of phase.found.filter((f) => f.history)) lines.push(`    older Nebari: ${f.terraform}: ${f.history}`);
    const keptAbsent = new Set(phase.kept_from_import.filter((k) => k.field === "*").map((k) => k.address));
    for (const n of phase.not_in_terraform.filter((x) => !keptAbsent.has(x.address)))
      lines.push(`    not in Terraform: ${n.address} (${n.adopted ? "found live, adopted" : n.exists ? `${n.id} found live, not adopted` : "absent, the next deploy creates it"})`);
    for (const n of phase.not_wanted) lines.push(`    not in the config: ${n.terraform} (left alone, not tracked)`);
    for (const k of phase.kept_from_import)
      lines.push(k.field === "*" ? `    kept from import: ${k.address} not created (an older Nebari never made it)` : `    kept from import: ${k.address} ${k.field} = ${renderValue(k.value)} (NIC's default: ${renderValue(k.instead_of)})`);
  }
  const unmanaged = [...doc.cloud.unmanaged, ...(doc.kubernetes?.unmanaged ?? [])];
  lines.push(`${mark(unmanaged.length === 0)} ${unmanaged.length ? `${unmanaged.length} unmanaged Terraform resource(s), left as they are:` : "No unexpected resources"}`);
  for (const u of unmanaged) lines.push(`    ${u.terraform}: ${u.reason}`);

  lines.push("", "Configuration Match:");
  for (const c of doc.configuration_match) lines.push(`${mark(c.ok)} ${c.check}${c.ok ? "" : `: Terraform ${renderValue(c.terraform)}, config ${renderValue(c.config)}`}`);
  const changes = [...doc.cloud.changes, ...(doc.kubernetes?.changes ?? [])];
  lines.push(`${mark(changes.length === 0)} ${changes.length ? `the next deploy would make ${changes.length} change(s); import refuses them unless --force:` : "the next deploy makes no changes"}`);
  for (const c of changes) {
    lines.push(`    ${c.action} ${c.address}${c.reason ? ` (${c.reason})` : ""}`);
    for (const f of c.fields.slice(0, 8)) lines.push(`      ${f.path}: ${renderValue(f.actual)} → ${renderValue(f.config)}${f.forces_replacement ? " (forces replacement)" : ""}`);
  }

  lines.push("", "Outputs Verification:");
  lines.push(`${mark(true)} written from the verified resources (Terraform had them too): ${doc.outputs.from_terraform.join(", ") || "(none)"}`);
  if (doc.outputs.from_nic.length) lines.push(`${mark(true)} computed by NIC (Terraform had none): ${doc.outputs.from_nic.join(", ")}`);
  if (doc.outputs.ignored.length) lines.push(`${mark(false)} not carried over (Nebari does not define them): ${doc.outputs.ignored.join(", ")}`);
  lines.push(`${mark(doc.cluster.reachable)} cluster endpoint ${doc.cluster.endpoint || "(unknown)"} ${doc.cluster.reachable ? "reachable" : `not reachable: ${doc.cluster.error}`}`);
  lines.push("", doc.ready ? "Ready for management transfer! ✓" : `Not ready for a no-change transfer (${doc.blockers.length} blocker(s)):`);
  for (const b of doc.blockers) lines.push(`    ${b.kind}: ${b.address ? `${b.address}: ` : ""}${b.text}`);
  return lines.join("\n");
}

/**
 * For providers NIC cannot deploy yet (GCP, Azure): the mapping and the configuration match from the Terraform
 * states alone. Nothing is verified live, so it is never ready.
 */
export function mappingDocument(config: NebariConfig, stage02: LoadedTerraformState, stage03?: LoadedTerraformState) {
  const mapped = mapStates(config, stage02, stage03);
  const all = [mapped.stage02.mapping, ...(mapped.stage03 ? [mapped.stage03.mapping] : [])];
  return {
    ready: false,
    verified: false,
    terraform_states: { stage02: stage02.location, stage03: stage03?.location ?? null },
    mapped: all.flatMap((m) => m.mapped.map((r) => ({ address: r.address, terraform: r.terraform, id: r.id, ...(r.history ? { history: r.history } : {}) }))),
    unmanaged: all.flatMap((m) => m.unmanaged),
    skipped: all.flatMap((m) => m.skipped),
    configuration_match: configMatch(config, all.flatMap((m) => m.mapped)),
    outputs: outputsCheck(config.provider, config.storage.type, stage02.state.outputs),
  };
}

export function renderMapping(doc: ReturnType<typeof mappingDocument>, provider: string): string {
  const lines = [`Mapping (not verified: NIC cannot reach ${provider} resources yet):`];
  for (const m of doc.mapped) lines.push(`  ${m.terraform} → ${m.address} (${m.id})${m.history ? `; older Nebari: ${m.history}` : ""}`);
  for (const u of doc.unmanaged) lines.push(`${mark(false)} unmanaged ${u.terraform}: ${u.reason}`);
  lines.push("", "Configuration Match:");
  for (const c of doc.configuration_match) lines.push(`${mark(c.ok)} ${c.check}${c.ok ? "" : `: Terraform ${renderValue(c.terraform)}, config ${renderValue(c.config)}`}`);
  lines.push("", `Outputs from Terraform: ${doc.outputs.from_terraform.join(", ") || "(none)"}`, "", `Not ready: ${provider} resources cannot be verified live yet.`);
  return lines.join("\n");
}
