// The Kubernetes API over HTTPS with Bun's fetch and its `tls` option. @kubernetes/client-node is not used:
// under Bun it silently drops the CA and the client certificate (bun-lab.md §4.4).
import { sleep } from "../engine/retry.ts";
import { connectsInTime, connectTarget } from "../net/connect.ts";
import { connectTimeout, deadlines, requestTimeout } from "../net/deadlines.ts";

export type ClusterAuth = { token: () => Promise<string> } | { clientCertPem: string; clientKeyPem: string };

export interface ClusterConnection {
  /** `https://host[:port]` */
  endpoint: string;
  /** The cluster CA; without it the system CAs are trusted. */
  caPem?: string;
  insecureSkipVerify?: boolean;
  auth: ClusterAuth;
}

/** A failed API call: the HTTP status and the Status object's reason (NotFound, Conflict, …). */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string,
    readonly causes: Array<{ type?: string; message?: string; field?: string }> = [],
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

/** The API could not be reached at all (refused, TLS verification failed, reset). `code` lets the engine retry resets. */
export class KubeTransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = "KubeTransportError";
  }
}

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/** How often one call is retried on 429 (each after the server's Retry-After) before the error reaches the engine. */
const THROTTLE_RETRIES = 5;
/** How many times a request that timed out is sent in all (as the AWS SDK does) before REQUEST_TIMEOUT. */
const TIMEOUT_ATTEMPTS = 3;
const MAX_RETRY_AFTER_S = 30;

export class KubeClient {
  /** The endpoint accepted a connection within the connect deadline (checked first, and again after a timeout). */
  private reached = false;

  constructor(readonly conn: ClusterConnection) {}

  async request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    for (let attempt = 0, timeouts = 0; ; attempt++) {
      // No call without a deadline (net/deadlines.ts): connecting gets connectMs (net/connect.ts), the request requestMs;
      // one that times out is sent again, then fails naming the call.
      const { requestMs, connectMs } = deadlines();
      if (!this.reached) {
        const target = connectTarget(new URL(this.conn.endpoint));
        this.reached = await connectsInTime(target, connectMs, opts.signal);
        if (!this.reached && ++timeouts < TIMEOUT_ATTEMPTS) continue;
        if (!this.reached) throw connectTimeout(`kubernetes:${method} ${path}`, `${target.host}:${target.port}`, connectMs, timeouts);
      }
      const deadline = AbortSignal.timeout(requestMs);
      let res: Response;
      let body: T;
      try {
        res = await this.send(method, path, { ...opts, signal: opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline });
        if (res.ok) body = (await res.json()) as T;
      } catch (err) {
        this.reached = false; // look again before the next request: the endpoint may be gone
        if (!deadline.aborted || opts.signal?.aborted) throw err;
        if (++timeouts < TIMEOUT_ATTEMPTS) continue;
        throw requestTimeout(`kubernetes:${method} ${path}`, requestMs, timeouts, err);
      }
      if (res.ok) return body!;
      const error = await apiError(method, path, res);
      const retryAfter = Number(res.headers.get("retry-after") ?? 1);
      if (res.status !== 429 || attempt >= THROTTLE_RETRIES) throw error;
      await sleep(Math.min(Number.isFinite(retryAfter) ? retryAfter : 1, MAX_RETRY_AFTER_S) * 1000, opts.signal ?? new AbortController().signal);
    }
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const { conn } = this;
    const url = new URL(conn.endpoint.replace(/\/+$/, "") + path); // keeps a path prefix (API proxies serve under one)
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: "application/json", "user-agent": "nic" };
    const tls: Record<string, unknown> = {};
    if (conn.caPem) tls.ca = conn.caPem;
    if (conn.insecureSkipVerify) tls.rejectUnauthorized = false;
    if ("token" in conn.auth) headers.authorization = `Bearer ${await conn.auth.token()}`;
    else Object.assign(tls, { cert: conn.auth.clientCertPem, key: conn.auth.clientKeyPem });
    if (opts.body !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
    try {
      return await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
        tls,
      } as RequestInit);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const code = (err as { code?: string }).code;
      throw new KubeTransportError(`Cannot reach the Kubernetes API at ${conn.endpoint}: ${(err as Error).message}${code ? ` (${code})` : ""}`, code, { cause: err });
    }
  }
}

async function apiError(method: string, path: string, res: Response): Promise<KubeApiError> {
  const text = await res.text();
  let status: { message?: string; reason?: string; details?: { causes?: KubeApiError["causes"] } } = {};
  try {
    status = JSON.parse(text);
  } catch {
    status = { message: text.slice(0, 200) };
  }
  const message = `${method} ${path}: ${res.status} ${status.message ?? res.statusText}`;
  return new KubeApiError(message, res.status, status.reason ?? "", status.details?.causes ?? []);
}

export const isNotFound = (err: unknown) => err instanceof KubeApiError && err.status === 404;
