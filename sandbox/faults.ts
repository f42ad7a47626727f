// Fault injection, set through the control API: throttling in the service's own shape, 5xx,
// a named AWS error, fixed or jittered latency, optionally only on the Nth matching call.
import { AwsError } from "./protocols/errors.ts";

export interface FaultRule {
  /** Signing name ("eks", "ec2", ...); absent = every service. */
  service?: string;
  /** Action ("CreateCluster"); absent = every action. */
  action?: string;
  kind: "throttle" | "error" | "latency";
  /** For kind=error: the AWS error code and HTTP status (default InternalFailure / 500). */
  code?: string;
  status?: number;
  message?: string;
  /** For kind=latency (or added before an error): delay in ms plus up to jitterMs at random. */
  latencyMs?: number;
  jitterMs?: number;
  /** Only the Nth matching call (1-based) is affected. */
  nth?: number;
  /** Affect at most this many calls, then the rule retires. */
  times?: number;
}

interface ActiveRule extends FaultRule {
  id: number;
  seen: number;
  applied: number;
}

export class Faults {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    if (!["throttle", "error", "latency"].includes(rule.kind)) throw new Error(`unknown fault kind: ${rule.kind}`);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, seen: 0, applied: 0 });
    return id;
  }

  list(): ActiveRule[] {
    return this.rules;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  /** Apply the matching rules to one call: wait, then throw the injected error if any. */
  async apply(service: string, action: string, throttleCode: string): Promise<void> {
    if (!this.rules.length) return;
    let failure: AwsError | undefined;
    let delay = 0;
    for (const rule of this.rules) {
      if ((rule.service && rule.service !== service) || (rule.action && rule.action !== action)) continue;
      rule.seen++;
      if (rule.nth !== undefined && rule.seen !== rule.nth) continue;
      if (rule.times !== undefined && rule.applied >= rule.times) continue;
      rule.applied++;
      delay += (rule.latencyMs ?? 0) + Math.random() * (rule.jitterMs ?? 0);
      if (rule.kind === "throttle") failure ??= throttle(throttleCode);
      if (rule.kind === "error") failure ??= new AwsError(rule.code ?? "InternalFailure", rule.message ?? `Injected fault on ${service}:${action}`, rule.status ?? (rule.code ? 400 : 500));
    }
    if (delay > 0) await Bun.sleep(delay);
    if (failure) throw failure;
  }
}

function throttle(code: string): AwsError {
  const status = code === "RequestLimitExceeded" || code === "SlowDown" ? 503 : 400;
  return new AwsError(code, "Rate exceeded", status);
}
