// The longest chain of dependent operations in a plan: no amount of parallelism can apply it faster.
import { stepsOf, type Step } from "./graph.ts";
import type { Plan } from "./plan.ts";

export interface CriticalPath {
  /** The chain's total cost, in the unit of `cost` (e.g. ms). */
  cost: number;
  steps: Array<{ address: string; operation: Step["operation"] }>;
}

/**
 * `cost` is what one step costs: a constant per call, or per step (calls × latency + the cloud's transition time).
 * `oneAtATime`: kinds the cloud runs one operation at a time (AKS and GKE for a cluster and its pools), chained in plan order.
 */
export function criticalPath(p: Plan, cost: number | ((step: Step) => number), opts: { oneAtATime?: ReadonlySet<string> } = {}): CriticalPath {
  const costOf = typeof cost === "number" ? () => cost : cost;
  const planned = stepsOf(p);
  const serial = planned.filter((s) => opts.oneAtATime?.has(s.kind));
  const steps = planned.map((s) => {
    const i = serial.indexOf(s);
    return i > 0 ? { ...s, after: [...s.after, serial[i - 1]!.id] } : s;
  });
  const byId = new Map(steps.map((s) => [s.id, s]));
  const best = new Map<string, { cost: number; previous?: string }>();
  const finish = (s: Step): number => {
    const known = best.get(s.id);
    if (known) return known.cost;
    let previous: string | undefined;
    let start = 0;
    for (const id of s.after) {
      const end = finish(byId.get(id) as Step);
      if (end <= start) continue;
      start = end;
      previous = id;
    }
    best.set(s.id, { cost: start + costOf(s), previous });
    return start + costOf(s);
  };
  let last: string | undefined;
  for (const s of steps) if (last === undefined || finish(s) > finish(byId.get(last) as Step)) last = s.id;

  const chain: CriticalPath["steps"] = [];
  for (let id = last; id !== undefined; id = best.get(id)?.previous) {
    const s = byId.get(id) as Step;
    chain.unshift({ address: s.address, operation: s.operation });
  }
  return { cost: last === undefined ? 0 : finish(byId.get(last) as Step), steps: chain };
}
