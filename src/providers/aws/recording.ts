// Recording and replaying the AWS API conversation, for tests that need no sandbox. A request handler for every SDK
// client (AwsOptions.requestHandler): the recorder forwards over fetch and keeps each exchange; the replayer answers
// from a recording, matching requests by service, method, path, target and body (idempotency tokens left out).

export interface Exchange {
  key: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface HttpRequest {
  protocol: string;
  hostname: string;
  port?: number;
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

type Handled = { response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } };

/** The smithy HttpHandler shape the SDK clients accept as `requestHandler`. */
export interface RequestHandler {
  handle(request: HttpRequest, options?: { abortSignal?: AbortSignal }): Promise<Handled>;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, unknown>;
}

// Idempotency tokens differ on every run (ours, and those the SDK fills in itself, e.g. EC2 ClientToken).
const VOLATILE = new Set(["clientRequestToken", "ClientRequestToken", "ClientToken"]);

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return String(body);
}

/** What identifies a request across runs: no signatures, dates or idempotency tokens; generated names reduced. */
export function requestKey(request: HttpRequest): string {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? request.headers.Authorization ?? "")?.[1] ?? "";
  const target = request.headers["x-amz-target"] ?? "";
  let body = bodyText(request.body);
  if (body.startsWith("{")) {
    body = JSON.stringify(JSON.parse(body), (k, v) => (VOLATILE.has(k) ? undefined : v));
  } else if (body.includes("=")) {
    const form = new URLSearchParams(body);
    for (const k of VOLATILE) form.delete(k);
    if (form.get("PolicyName")) form.set("PolicyName", form.get("PolicyName")!.replace(/\d{26}$/, ""));
    body = form.toString();
  }
  const query = queryString(request);
  return `${scope} ${request.method} ${request.path}${query ? `?${query}` : ""} ${target} ${body}`;
}

function queryString(request: HttpRequest): string {
  const pairs = Object.entries(request.query ?? {}).flatMap(([k, v]): [string, string][] => (v === null ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x])));
  return new URLSearchParams(pairs).toString();
}

function handler(handle: RequestHandler["handle"]): RequestHandler {
  return { handle, updateHttpClientConfig() {}, httpHandlerConfigs: () => ({}) };
}

/** Forwards requests over fetch and appends every exchange to `log`. */
export function recorder(log: Exchange[]): RequestHandler {
  return handler(async (request, options) => {
    const query = queryString(request);
    const url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}${request.path}${query ? `?${query}` : ""}`;
    const { host: _host, ...headers } = request.headers;
    const answer = await fetch(url, { method: request.method, headers, body: request.body as string | Uint8Array | undefined, signal: options?.abortSignal });
    const body = new Uint8Array(await answer.arrayBuffer());
    // Without its Date header: replayed later, the SDK would take the old date for clock skew and retry.
    const responseHeaders = Object.fromEntries([...answer.headers.entries()].filter(([k]) => k !== "date"));
    log.push({ key: requestKey(request), status: answer.status, headers: responseHeaders, body: new TextDecoder().decode(body) });
    return { response: { statusCode: answer.status, headers: responseHeaders, body } };
  });
}

/** Answers from a recording: each key's answers in recorded order, the last one repeated (polls may run longer). */
export function replayer(exchanges: Exchange[]): RequestHandler & { served: string[]; unmatched: string[] } {
  const queues = new Map<string, Exchange[]>();
  for (const e of exchanges) queues.set(e.key, [...(queues.get(e.key) ?? []), e]);
  const served: string[] = [];
  const unmatched: string[] = [];
  return {
    ...handler(async (request) => {
      const key = requestKey(request);
      const queue = queues.get(key);
      if (!queue?.length) {
        unmatched.push(key);
        throw new Error(`replay: no recorded answer for ${key}`);
      }
      const e = queue.length > 1 ? queue.shift()! : queue[0]!;
      served.push(key);
      return { response: { statusCode: e.status, headers: e.headers, body: new TextEncoder().encode(e.body) } };
    }),
    served,
    unmatched,
  };
}
