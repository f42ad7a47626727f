// No call without a deadline: every cloud and Kubernetes request gets a connect and a request timeout. A request that
// times out is retried as a transient error (the SDK's own retries, or the Kubernetes client's), then fails with
// REQUEST_TIMEOUT naming the call, so a hung API never holds the state lock for long.
import { NicError } from "../cli/errors.ts";

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** Where `--request-timeout` puts its value, so every client (also in a credential helper NIC starts) reads the same. */
export const REQUEST_TIMEOUT_ENV = "NIC_REQUEST_TIMEOUT";
/** The connect deadline, when 10 s is not right (a slow VPN, or a test); same syntax. */
export const CONNECT_TIMEOUT_ENV = "NIC_CONNECT_TIMEOUT";

export interface Deadlines {
  connectMs: number;
  requestMs: number;
}

/**
 * The timeouts in force: NIC_REQUEST_TIMEOUT (set by --request-timeout) and NIC_CONNECT_TIMEOUT, or the defaults; connecting
 * never waits longer than the request.
 */
export function deadlines(env: Record<string, string | undefined> = process.env): Deadlines {
  const text = env[REQUEST_TIMEOUT_ENV];
  const requestMs = text ? parseTimeout(text) : DEFAULT_REQUEST_TIMEOUT_MS;
  const connect = env[CONNECT_TIMEOUT_ENV];
  return { requestMs, connectMs: Math.min(connect ? parseTimeout(connect, CONNECT_TIMEOUT_ENV) : DEFAULT_CONNECT_TIMEOUT_MS, requestMs) };
}

/** `30s`, `2m`, `500ms` or a number of seconds. */
export function parseTimeout(text: string, name = "--request-timeout"): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? "s") as "ms" | "s" | "m"] : NaN;
  if (!(ms >= 100 && ms <= 3_600_000)) {
    const details = name.startsWith("--") ? { flag: name.slice(2), value: text } : { variable: name, value: text };
    throw new NicError("INPUT_INVALID", `${name} must be a duration from 100ms to 60m, such as 30s or 2m; got "${text}"`, { details });
  }
  return ms;
}

/** The flag, for the commands that reach a cloud or a cluster. */
export const REQUEST_TIMEOUT_FLAG = {
  "request-timeout": {
    type: "string" as const,
    description: `How long one cloud or Kubernetes request may take before it is retried, then failed (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}s; connecting: at most ${DEFAULT_CONNECT_TIMEOUT_MS / 1000}s)`,
    valueHint: "DURATION",
  },
};

/** Validates the flag and makes it the setting every client reads. */
export function applyRequestTimeoutFlag(flags: Record<string, unknown>, env: Record<string, string | undefined>): void {
  const value = flags["request-timeout"];
  if (value === undefined || value === "") return;
  parseTimeout(String(value));
  env[REQUEST_TIMEOUT_ENV] = String(value);
}

/** The call that did not answer in time, after its retries. */
export function requestTimeout(call: string, ms: number, attempts: number, cause?: unknown): NicError {
  return new NicError("REQUEST_TIMEOUT", `${call} did not answer within ${formatSeconds(ms)} (${attempts} attempt${attempts === 1 ? "" : "s"})`, {
    details: { call, timeout_ms: ms, attempts },
    recovery: [
      `${call} did not answer in time: check the network path to its endpoint and the service's health, then rerun.`,
      "Allow slower answers with --request-timeout (e.g. --request-timeout 2m). Nothing hangs holding the state lock.",
    ],
    cause,
  });
}

/** A call whose endpoint did not accept a connection in time, after its retries: REQUEST_TIMEOUT too, at the connect stage. */
export function connectTimeout(call: string, target: string, ms: number, attempts: number, cause?: unknown): NicError {
  return new NicError("REQUEST_TIMEOUT", `${call} could not connect to ${target} within ${formatSeconds(ms)} (${attempts} attempt${attempts === 1 ? "" : "s"})`, {
    details: { call, stage: "connect", target, timeout_ms: ms, attempts },
    recovery: [
      `Nothing accepted a connection at ${target}: check the endpoint, firewalls, VPN and proxy settings (HTTPS_PROXY, NO_PROXY), then rerun.`,
      `Allow slower connections with ${CONNECT_TIMEOUT_ENV} (e.g. ${CONNECT_TIMEOUT_ENV}=30s); --request-timeout bounds it too.`,
    ],
    cause,
  });
}

/** The call a failure timed out on (REQUEST_TIMEOUT's details.call), if it was a timeout. */
export function timedOutCall(err: unknown): string | undefined {
  return err instanceof NicError && err.code === "REQUEST_TIMEOUT" ? String(err.details.call) : undefined;
}

const formatSeconds = (ms: number) => (ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`);

/** True for the error a smithy HTTP handler throws when the connection, not the answer, did not come in time. */
export function isSdkConnectTimeout(err: unknown): boolean {
  return isSdkTimeout(err) && /did not establish a connection/.test((err as Error).message ?? "");
}

/** True for the error a smithy HTTP handler throws when a request or connection times out. */
export function isSdkTimeout(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return e?.name === "TimeoutError" || e?.code === "ETIMEDOUT" || e?.name === "RequestTimeout";
}
