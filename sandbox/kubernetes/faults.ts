// Faults injected per verb and resource: throttling (429 with Retry-After), server errors, latency.
import { KubeError } from "./status.ts";

export interface FaultSpec {
  /** get, list, watch, create, update, patch, delete, deletecollection; omitted matches every verb. */
  verb?: string;
  /** A resource (plural, e.g. "configmaps"); omitted matches every request, discovery included. */
  resource?: string;
  /** The error to answer with; omitted means latency only. */
  status?: number;
  /** Sent as the Retry-After header and details.retryAfterSeconds with a 429 (default 1). */
  retryAfterSeconds?: number;
  latencyMs?: number;
  /** Extra random latency, up to this much. */
  jitterMs?: number;
  /** Let this many matching calls through before the fault starts (so "fail the Nth call" is after: N-1, times: 1). */
  after?: number;
  /** How many calls the fault hits before it expires; omitted means forever. */
  times?: number;
}

const REASONS: Record<number, [string, string]> = {
  429: ["TooManyRequests", "Too many requests, please try again later."],
  500: ["InternalError", "Internal error occurred: injected fault"],
  503: ["ServiceUnavailable", "The server is currently unable to handle the request"],
  504: ["Timeout", "The server was unable to return a response in the time allotted, but may still be processing the request"],
};

export class Faults {
  private specs: { spec: FaultSpec; seen: number; hits: number }[] = [];

  inject(spec: FaultSpec) {
    this.specs.push({ spec, seen: 0, hits: 0 });
  }

  clear() {
    this.specs = [];
  }

  /** The fault for this call, if any: how long to wait, then the error to answer with. */
  take(verb: string, resource: string | undefined): { latencyMs: number; error?: KubeError } | undefined {
    for (const entry of this.specs) {
      const { spec } = entry;
      if ((spec.verb && spec.verb !== verb) || (spec.resource && spec.resource !== resource)) continue;
      if (entry.seen++ < (spec.after ?? 0)) continue;
      if (spec.times !== undefined && entry.hits >= spec.times) continue;
      entry.hits++;
      const latencyMs = (spec.latencyMs ?? 0) + Math.random() * (spec.jitterMs ?? 0);
      if (spec.status === undefined) return { latencyMs };
      const [reason, message] = REASONS[spec.status] ?? REASONS[500]!;
      const retryAfterSeconds = spec.status === 429 ? (spec.retryAfterSeconds ?? 1) : undefined;
      return { latencyMs, error: new KubeError(spec.status, reason, message, retryAfterSeconds ? { retryAfterSeconds } : { causes: [{ message: "injected fault" }] }) };
    }
    return undefined;
  }
}
