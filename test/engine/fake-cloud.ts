// An in-memory cloud behind the ResourceKind interface: the engine's contract is that interface, so a fake of it
// is enough to test ordering, concurrency, retries and failures. Cloud behaviour is proven against the sandbox.
import type { Actual, Address, Attributes, Resource, ResourceKind } from "../../src/engine/types.ts";

export interface Call {
  operation: "create" | "update" | "delete" | "wait";
  address: Address;
  token?: string;
}

export interface FakeKindOptions {
  timeoutMs?: number;
  serialKey?: ResourceKind["serialKey"];
  /** When set, the kind has a wait() that answers with this. */
  wait?: (actual: Actual) => Promise<Actual>;
}

export class FakeCloud {
  readonly resources = new Map<Address, Actual>();
  readonly calls: Call[] = [];
  /** Errors the next calls for an address throw, one per call. */
  readonly failures = new Map<Address, unknown[]>();
  /** Errors thrown after the call took effect (a later call of a multi-call create failed, or the answer was lost). */
  readonly failuresAfterEffect = new Map<Address, unknown[]>();
  /** Calls for these addresses never return by themselves (they end only when their signal aborts). */
  readonly hang = new Set<Address>();
  /** …and these ignore their signal too. */
  readonly deaf = new Set<Address>();
  inFlight = 0;
  maxInFlight = 0;
  private nextId = 1;

  constructor(private readonly latencyMs = 2) {}

  kind(name: string, opts: FakeKindOptions = {}): ResourceKind {
    const byId = (actual: Actual) => [...this.resources].find(([, a]) => a.id === actual.id)?.[0] as Address;
    return {
      kind: name,
      timeoutMs: opts.timeoutMs ?? 10_000,
      serialKey: opts.serialKey,
      observe: async (batch) => new Map(batch.flatMap((l) => (this.resources.has(l.address) ? [[l.address, this.copy(l.address)]] : []))),
      create: (res, ctx) =>
        this.call({ operation: "create", address: res.address, token: ctx.requestToken }, ctx.signal, () => {
          this.resources.set(res.address, { id: `${name.split("/")[1]}-${this.nextId++}`, attributes: structuredClone(res.attributes) });
          return this.copy(res.address);
        }),
      update: (res, _actual, _changes, ctx) =>
        this.call({ operation: "update", address: res.address, token: ctx.requestToken }, ctx.signal, () => {
          (this.resources.get(res.address) as Actual).attributes = structuredClone(res.attributes);
          return this.copy(res.address);
        }),
      delete: (actual, ctx) => {
        const address = byId(actual);
        return this.call({ operation: "delete", address, token: ctx.requestToken }, ctx.signal, () => {
          this.resources.delete(address);
        });
      },
      ...(opts.wait && { wait: (actual: Actual) => (opts.wait as NonNullable<FakeKindOptions["wait"]>)(actual) }),
    };
  }

  /** The addresses the cloud holds, sorted. */
  inventory(): Address[] {
    return [...this.resources.keys()].sort();
  }

  mutatingCalls(): Call[] {
    return this.calls.filter((c) => c.operation !== "wait");
  }

  private copy(address: Address): Actual {
    return structuredClone(this.resources.get(address) as Actual);
  }

  private async call<T>(call: Call, signal: AbortSignal, effect: () => T): Promise<T> {
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise<void>((resolve, reject) => {
        if (this.hang.has(call.address)) {
          if (!this.deaf.has(call.address)) signal.addEventListener("abort", () => reject(signal.reason), { once: true });
          return;
        }
        setTimeout(resolve, this.latencyMs);
      });
      const failure = this.failures.get(call.address)?.shift();
      if (failure !== undefined) throw failure;
      const result = effect();
      const lost = this.failuresAfterEffect.get(call.address)?.shift();
      if (lost !== undefined) throw lost;
      return result;
    } finally {
      this.inFlight--;
    }
  }
}

export function resource(address: Address, attributes: Attributes = {}, more: Partial<Resource> = {}): Resource {
  return { address, kind: address.split("/").slice(0, 2).join("/"), attributes, ...more };
}

export function throttled(): Error {
  return Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
}

export function invalid(message = "Invalid parameter"): Error {
  return Object.assign(new Error(message), { name: "InvalidParameterException", $metadata: { httpStatusCode: 400 } });
}
