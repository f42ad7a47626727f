// Retrying transient cloud errors with exponential backoff and full jitter, for a bounded time.

export interface RetryOptions {
  /** First backoff ceiling; it doubles on each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Extra transient errors and how long each may keep being retried, in ms (undefined: not transient).
   * E.g. IAM eventual consistency: "role cannot be assumed" on CreateCluster, for two minutes.
   */
  classify?: (err: unknown) => number | undefined;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

/** How long throttling and server errors are retried; the kind's timeout still bounds the whole operation. */
export const TRANSIENT_BUDGET_MS = 5 * 60_000;

const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  "BandwidthLimitExceeded",
]);
const NETWORK = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ConnectionReset"]);

/** Throttling, HTTP 429 and 5xx, and dropped connections, however the SDK at hand spells them. */
export function isTransient(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { name?: unknown; code?: unknown; status?: unknown; statusCode?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (THROTTLING.has(String(e.name)) || THROTTLING.has(String(e.code)) || NETWORK.has(String(e.code))) return true;
  const status = [e.$metadata?.httpStatusCode, e.statusCode, e.status, e.code].find((s) => typeof s === "number");
  return typeof status === "number" && (status === 429 || status >= 500);
}

export interface RetryRun {
  signal: AbortSignal;
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

export async function withRetry<T>(call: () => Promise<T>, opts: RetryOptions & RetryRun): Promise<T> {
  const { baseDelayMs = 250, maxDelayMs = 20_000, random = Math.random } = opts;
  const start = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const budget = opts.classify?.(err) ?? (isTransient(err) ? TRANSIENT_BUDGET_MS : undefined);
      const delay = Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      if (opts.signal.aborted) throw opts.signal.reason;
      if (budget === undefined || performance.now() - start + delay > budget) throw err;
      opts.onRetry?.(attempt, delay, err);
      await sleep(delay, opts.signal);
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return untilAborted(new Promise((resolve) => setTimeout(resolve, ms)), signal);
}

/** `work`, unless `signal` aborts first: then the signal's reason (work that ignores its signal cannot hold us up). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
