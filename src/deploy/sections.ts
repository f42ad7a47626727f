// The one plan and its result, cut into the sections result documents keep: `cloud` (stage 02) and `kubernetes` (stage 03).
import type { ApplyResult, StepOutcomes } from "../engine/apply.ts";
import { summarize, type Plan } from "../engine/plan.ts";
import type { Address } from "../engine/types.ts";
import { isKubernetes } from "./graph.ts";

export type SectionName = "cloud" | "kubernetes";

export interface Section {
  name: SectionName;
  plan: Plan;
  result?: ApplyResult;
}

export const sectionOf = (address: Address): SectionName => (isKubernetes(address) ? "kubernetes" : "cloud");

export function sections(p: Plan, result?: ApplyResult): Section[] {
  return (["cloud", "kubernetes"] as const).map((name) => ({ name, plan: planSection(p, name), ...(result && { result: resultSection(result, name) }) }));
}

export function planSection(p: Plan, name: SectionName): Plan {
  const entries = p.entries.filter((e) => sectionOf(e.address) === name);
  return { entries, errors: p.errors.filter((e) => sectionOf(e.address) === name), summary: summarize(entries) };
}

export function resultSection(result: ApplyResult, name: SectionName): ApplyResult {
  const mine = (x: { address: Address }) => sectionOf(x.address) === name;
  const part = (o: StepOutcomes): StepOutcomes => ({ done: o.done.filter(mine), failed: o.failed.filter(mine), skipped: o.skipped.filter(mine) });
  const outcomes = part(result);
  return {
    ...outcomes,
    success: !outcomes.failed.length && !outcomes.skipped.length,
    adopted: result.adopted.filter((a) => sectionOf(a) === name),
    ...(result.rollback && { rollback: part(result.rollback) }),
  };
}
