// A plan as a graph of steps: one cloud operation each, with the steps that must finish first.
import type { PlanEntry, Plan } from "./plan.ts";
import type { Address, Operation } from "./types.ts";

export interface Step {
  id: string;
  address: Address;
  kind: string;
  operation: Operation;
  entry: PlanEntry;
  /** Ids of the steps that must be done first. */
  after: string[];
}

/**
 * Creates and updates wait for their dependencies' creates and updates; a delete waits for the deletes of everything
 * that depends on it; a replacement deletes the old resource before creating the new one.
 */
export function stepsOf(p: Plan): Step[] {
  const steps: Step[] = [];
  for (const entry of p.entries) {
    if (entry.action === "replace" || entry.action === "delete") steps.push(step(entry, "delete"));
    if (entry.action === "replace" || entry.action === "create") steps.push(step(entry, "create"));
    if (entry.action === "update") steps.push(step(entry, "update"));
  }
  return link(steps);
}

/** Steps deleting the given resources, dependents first (used to roll back what a run created). */
export function deleteStepsOf(entries: readonly PlanEntry[]): Step[] {
  return link(entries.map((e) => step(e, "delete")));
}

function step(entry: PlanEntry, operation: Operation): Step {
  return { id: stepId(operation, entry.address), address: entry.address, kind: entry.kind, operation, entry, after: [] };
}

function stepId(operation: Operation, address: Address): string {
  return `${operation} ${address}`;
}

function link(steps: Step[]): Step[] {
  const ids = new Set(steps.map((s) => s.id));
  const deletes = steps.filter((s) => s.operation === "delete");
  for (const s of steps) {
    if (s.operation === "delete") {
      s.after = deletes.filter((d) => d.entry.dependsOn.includes(s.address)).map((d) => d.id);
    } else {
      const candidates = [...s.entry.dependsOn.flatMap((d) => [stepId("create", d), stepId("update", d)]), stepId("delete", s.address)];
      s.after = candidates.filter((id) => ids.has(id));
    }
  }
  return steps;
}
