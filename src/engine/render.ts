// A plan for people (Terraform-like text) and for programs (the JSON plan document).
import type { ApplyEvent, ApplyResult, StepOutcomes } from "./apply.ts";
import { isUnknown } from "./refs.ts";
import type { Action, Plan, PlanEntry } from "./plan.ts";
import { hasChanges } from "./plan.ts";
import type { Change, Operation } from "./types.ts";

const MARK: Record<Action, string> = { create: "+", update: "~", replace: "-/+", delete: "-", "no-op": " " };

export function renderPlan(p: Plan): string {
  const shown = p.entries.filter((e) => e.action !== "no-op" || e.adopt || e.desired?.note);
  const lines: string[] = [];
  for (const entry of shown) lines.push(...renderEntry(entry), "");
  for (const error of p.errors) lines.push(`Error: ${error.message}`, "");
  lines.push(hasChanges(p) ? summaryLine(p) : "No changes. The infrastructure matches the configuration.");
  return lines.join("\n");
}

export function summaryLine(p: Plan): string {
  const { add, change, replace, destroy } = p.summary;
  return `Plan: ${add} to add, ${change} to change, ${replace} to replace, ${destroy} to destroy.`;
}

function renderEntry(entry: PlanEntry): string[] {
  const note = entry.desired?.note ?? (entry.adopt ? "found in the cloud, recorded in state" : entry.reason);
  const head = `${MARK[entry.action].padStart(3)} ${entry.address}${note ? `  (${note})` : ""}`;
  const fieldMark = entry.action === "create" ? "+" : "~";
  return [head, ...entry.changes.map((c) => `      ${fieldMark} ${renderChange(c, entry.action)}`)];
}

function renderChange(c: Change, action: Action): string {
  const forces = c.forcesReplacement ? "   # forces replacement" : "";
  if (action === "create") return `${c.path}: ${renderValue(c.after)}`;
  return `${c.path}: ${renderValue(c.before)} → ${renderValue(c.after)}${forces}`;
}

export function renderValue(value: unknown): string {
  if (value == null) return "(none)";
  if (isUnknown(value)) return "(known after apply)";
  return JSON.stringify(value, (_, v) => (isUnknown(v) ? "(known after apply)" : v));
}

/** The JSON plan document printed by `nic deploy --dry-run --format json`. */
export function planDocument(p: Plan) {
  return {
    has_changes: hasChanges(p),
    summary: p.summary,
    resources: p.entries.map((e) => ({
      address: e.address,
      kind: e.kind,
      action: e.action,
      ...(e.reason && { reason: e.reason }),
      ...(e.adopt && { adopt: true }),
      ...(e.desired?.note && { note: e.desired.note }),
      changes: e.changes.map((c) => ({
        path: c.path,
        before: c.before ?? null,
        after: c.after ?? null,
        ...(c.forcesReplacement && { forces_replacement: true }),
      })),
    })),
    errors: p.errors,
  };
}

const VERB: Record<Operation, [string, string]> = { create: ["Creating", "Created"], update: ["Updating", "Updated"], delete: ["Deleting", "Deleted"] };

/** One progress line per apply event, for the TTY display and text logs. */
export function describeEvent(e: ApplyEvent): string {
  const [doing, did] = VERB[e.operation];
  switch (e.type) {
    case "started":
      return `[${e.step}/${e.total}] ${doing} ${e.address}`;
    case "waiting":
      return `${doing} ${e.address}: waiting for ${e.id} to settle`;
    case "retrying":
      return `${doing} ${e.address}: retry ${e.attempt} in ${e.delayMs} ms after: ${e.error}`;
    case "done":
      return `${did} ${e.address} (${(e.elapsedMs / 1000).toFixed(1)}s)`;
    case "failed":
      return `${doing} ${e.address} failed: ${e.error}`;
    case "skipped":
      return `Skipped ${doing.toLowerCase()} ${e.address}: ${e.reason}`;
  }
}

/** An apply result as plain data for the result document: what was done, what failed, what was skipped. */
export function applyDocument(result: ApplyResult) {
  const outcomes = (o: StepOutcomes) => ({
    done: o.done.map((d) => ({ address: d.address, operation: d.operation, ...(d.actual && { id: d.actual.id }) })),
    failed: o.failed.map((f) => ({ address: f.address, operation: f.operation, error: f.error, ...(f.actual && { id: f.actual.id }) })),
    skipped: o.skipped,
  });
  return {
    success: result.success,
    ...outcomes(result),
    adopted: result.adopted,
    ...(result.rollback && { rollback: outcomes(result.rollback) }),
  };
}
