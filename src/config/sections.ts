// Shared steps for every section NIC interprets: aliases, unknown keys, type validation, node groups and taints.
import { closest } from "../cli/suggest.ts";
import { DEFAULT_TAINT } from "./defaults.ts";
import { ALIASES, REJECTED_NODE_GROUP_KEYS } from "./keys.ts";
import type { Note, Taint, TaintEffect } from "./model.ts";
import { describe, dotted, quote, type Path, type Problems } from "./problems.ts";
import { keysOf, shapeErrors, type ShapeName } from "./schema.ts";

export type Obj = Record<string, unknown>;

export interface Ctx {
  problems: Problems;
  notes: Note[];
  sourceText(path: Path): string | undefined;
  /** Records that `path` was written under another key in the file, so positions still point at the right line. */
  renamed(path: Path, writtenAs: string): void;
  today: Date;
  /** Whether the deployment already exists (known to deploy, not to validate). */
  deployment?: "new" | "existing";
}

export function isMapping(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function requireMapping(value: unknown, path: Path, ctx: Ctx): Obj | undefined {
  if (isMapping(value)) return value;
  ctx.problems.error(path, "must be a mapping of keys", { found: describe(value) });
  return undefined;
}

/**
 * Renames aliases to their canonical key (with a warning), then reports keys the shape does not know (always an error inside
 * interpreted sections, as in Nebari) with a "did you mean". Unknown keys are removed so later checks see a clean object.
 */
export function checkKeys(obj: Obj, path: Path, shape: ShapeName, ctx: Ctx, rejected: Record<string, string> = {}) {
  const allowed = keysOf(shape);
  const aliases = ALIASES[shape] ?? {};
  for (const [alias, canonical] of Object.entries(aliases)) {
    if (!(alias in obj)) continue;
    if (canonical in obj) {
      ctx.problems.error([...path, alias], `is an alias of ${canonical}, and ${canonical} is given too`, { hint: `Keep only ${canonical}` });
    } else {
      obj[canonical] = obj[alias];
      ctx.renamed([...path, canonical], alias);
      ctx.problems.nebariRejects([...path, alias], `is the design document's spelling; the canonical Nebari key is ${canonical}`, { hint: `Rename it to ${canonical}` });
    }
    delete obj[alias];
  }
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const reason = rejected[key];
    if (reason) {
      ctx.problems.error([...path, key], reason);
    } else {
      const guess = closest(key, [...allowed, ...Object.keys(aliases)]);
      ctx.problems.error([...path, key], "is not a known key here (extra inputs are not permitted)", {
        hint: guess ? `Did you mean ${guess}?` : `Known keys: ${allowed.join(", ")}`,
      });
    }
    delete obj[key];
  }
}

/** Integers the cloud bounds more tightly than the shape does (node counts: checkNodeCounts). */
const INTEGER_LIMITS: Partial<Record<ShapeName, Record<string, { min: number; max: number; rule: string }>>> = {
  aws_node_group: { disk_size: { min: 1, max: 16384, rule: "EBS volumes are at most 16384 GiB" } },
  azure: { max_pods: { min: 10, max: 250, rule: "AKS allows 10 to 250 pods per node" } },
};

/** Type-checks an object against its shape; returns false if anything was wrong. */
export function validateShape(obj: Obj, path: Path, shape: ShapeName, ctx: Ctx): boolean {
  const errors = shapeErrors(shape, obj);
  if (!errors.length) return checkIntegerLimits(obj, path, shape, ctx);
  for (const e of errors) {
    const at = [...path, ...e.path];
    const expected = e.expected.replaceAll(/\ban object\b/g, "a mapping").replaceAll(/\ban array\b/g, "a list");
    if (e.code === "required") ctx.problems.error(at, "is required", { expected });
    else if (e.code === "unexpected") ctx.problems.error(at, "is not a known key here (extra inputs are not permitted)");
    else ctx.problems.error(at, `must be ${expected}`, { found: foundText(e.found, at, ctx) });
  }
  return errors.length === 0;
}

function checkIntegerLimits(obj: Obj, path: Path, shape: ShapeName, ctx: Ctx): boolean {
  let ok = true;
  for (const [key, { min, max, rule }] of Object.entries(INTEGER_LIMITS[shape] ?? {})) {
    const value = obj[key];
    if (typeof value !== "number" || (Number.isSafeInteger(value) && value >= min && value <= max)) continue;
    ctx.problems.error([...path, key], Number.isSafeInteger(value) ? `must be from ${min} to ${max}` : "is too large to be an exact integer (beyond 2^53)", { found: foundText(value, [...path, key], ctx), hint: rule });
    ok = false;
  }
  return ok;
}

/** A found value for a message: numbers as written in the file (never rounded), everything else cut to a readable length. */
export function foundText(value: unknown, path: Path, ctx: Ctx): string {
  return typeof value === "number" ? (ctx.sourceText(path) ?? describe(value)) : describe(value);
}

/** A YAML number where a version string belongs (`1.20` reads back as 1.2): use the text as written, and say so. */
export function versionText(obj: Obj, key: string, path: Path, ctx: Ctx) {
  const value = obj[key];
  if (typeof value !== "number") return;
  const text = ctx.sourceText([...path, key]) ?? String(value);
  obj[key] = text;
  ctx.problems.nebariRejects([...path, key], `is an unquoted number; NIC reads it as "${text}" as written`, {
    hint: `Quote it ('${text}'): Nebari itself reads it as the number ${value}${String(value) !== text ? `, i.e. "${value}"` : ""}`,
  });
}

const TAINT_STRING = /^([a-zA-Z0-9][-a-zA-Z0-9_.]{0,251}[a-zA-Z0-9]?(?:\/[a-zA-Z0-9][-a-zA-Z0-9_.]{0,251}[a-zA-Z0-9]?)?)(?:=([a-zA-Z0-9][-a-zA-Z0-9_.]{0,61}[a-zA-Z0-9]?)?)?:(NoSchedule|PreferNoSchedule|NoExecute)$/;

export function parseTaint(text: string): Taint | undefined {
  const m = TAINT_STRING.exec(text);
  return m ? { key: m[1]!, value: m[2] ?? null, effect: m[3] as TaintEffect } : undefined;
}

export function formatTaint(t: Taint): string {
  return `${t.key}${t.value === null ? "" : `=${t.value}`}:${t.effect}`;
}

/** Effective taints: explicit ones (object or `key=value:Effect`), else none for `general` and `dedicated=nebari:NoSchedule` for the rest. */
export function effectiveTaints(name: string, raw: unknown, path: Path, ctx: Ctx): Taint[] {
  if (raw === undefined || raw === null) return name === "general" ? [] : [{ ...DEFAULT_TAINT }];
  const taints: Taint[] = [];
  (raw as unknown[]).forEach((item, i) => {
    if (typeof item !== "string") return void taints.push(item as Taint);
    const parsed = parseTaint(item);
    if (parsed) taints.push(parsed);
    else ctx.problems.error([...path, i], `Invalid taint string: ${JSON.stringify(item)}`, { expected: "key[=value]:NoSchedule|PreferNoSchedule|NoExecute" });
  });
  return taints;
}

/**
 * Node groups: a mapping keyed by group name, in file order (AWS and GCP index them by position).
 * Missing → the provider defaults; given → replaces the defaults entirely.
 */
export function nodeGroupEntries(raw: unknown, defaults: Obj, path: Path, shape: "aws_node_group" | "gcp_node_group" | "azure_node_group", ctx: Ctx) {
  const groups = raw === undefined ? structuredClone(defaults) : requireMapping(raw, path, ctx);
  if (!groups) return [];
  if (Object.keys(groups).length === 0) ctx.problems.error(path, "must define at least one node group");
  const entries: { name: string; group: Obj; path: Path }[] = [];
  for (const [name, value] of Object.entries(groups)) {
    const at = [...path, name];
    const group = requireMapping(value, at, ctx);
    if (!group) continue;
    checkKeys(group, at, shape, ctx, REJECTED_NODE_GROUP_KEYS);
    if (!validateShape(group, at, shape, ctx)) continue;
    if (!checkNodeCounts(group, at, shape, ctx)) continue;
    entries.push({ name, group, path: at });
  }
  if (raw !== undefined && entries.length && !entries.some((e) => e.name === "general")) {
    ctx.problems.warn(path, "has no `general` group; Nebari's core services and the cluster autoscaler are pinned to it");
  }
  return entries;
}

/** The most nodes one group may have: EKS "nodes per managed node group", GKE nodes per pool per zone, AKS max_count. */
const MAX_NODES: Record<string, { limit: number; rule: string }> = {
  aws_node_group: { limit: 450, rule: "EKS allows at most 450 nodes in a managed node group (service quota L-BD136A63)" },
  gcp_node_group: { limit: 1000, rule: "GKE allows at most 1000 nodes per node pool per zone" },
  azure_node_group: { limit: 1000, rule: "AKS allows at most 1000 nodes in a node pool" },
};

/** Node counts: exact integers (never past 2^53, where YAML numbers lose digits), within the cloud's limit, min ≤ max. */
function checkNodeCounts(group: Obj, path: Path, shape: string, ctx: Ctx): boolean {
  let ok = true;
  for (const key of ["min_nodes", "max_nodes"]) {
    const value = group[key];
    if (typeof value !== "number") continue;
    const found = ctx.sourceText([...path, key]) ?? String(value);
    const { limit, rule } = MAX_NODES[shape]!;
    if (!Number.isSafeInteger(value)) {
      ctx.problems.error([...path, key], "is too large to be an exact integer (beyond 2^53)", { found, hint: rule });
      ok = false;
    } else if (value > limit) {
      ctx.problems.error([...path, key], `is more than the ${limit} nodes the cloud allows`, { found, hint: rule });
      ok = false;
    }
  }
  const min = (group.min_nodes as number | undefined) ?? 0;
  const max = (group.max_nodes as number | undefined) ?? 1;
  if (ok && min > max) {
    ctx.problems.error([...path, "min_nodes"], `is larger than max_nodes (${min} > ${max}); EKS, GKE and AKS all reject such a node group`, { hint: "Nebari itself accepts it; the cloud fails at deploy" });
    ok = false;
  }
  return ok;
}

export function baseNodeGroup(name: string, group: Obj, path: Path, ctx: Ctx) {
  return {
    name,
    instance: group.instance as string,
    min_nodes: (group.min_nodes as number | undefined) ?? 0,
    max_nodes: (group.max_nodes as number | undefined) ?? 1,
    taints: effectiveTaints(name, group.taints, [...path, "taints"], ctx),
  };
}

/** Strings such as `${{ secrets.GCP_PROJECT_ID }}` are CI templates that were never expanded. */
export function warnUnexpandedPlaceholders(value: unknown, path: Path, ctx: Ctx) {
  if (typeof value === "string") {
    if (/\$\{\{.*\}\}/.test(value)) ctx.problems.warn(path, `looks like an unexpanded template placeholder (${quote(value)})`, { hint: "Expand it before deploying" });
  } else if (Array.isArray(value)) value.forEach((v, i) => warnUnexpandedPlaceholders(v, [...path, i], ctx));
  else if (isMapping(value)) for (const [k, v] of Object.entries(value)) warnUnexpandedPlaceholders(v, [...path, k], ctx);
}

export function note(ctx: Ctx, path: Path, message: string) {
  ctx.notes.push({ path: dotted(path), message });
}
