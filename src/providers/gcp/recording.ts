// Recording and replaying the GCP conversation (GKE, IAM, Resource Manager, Artifact Registry, Compute), for bug
// reports (NIC_RECORD) and tests that need no sandbox. Both are a `fetch` for gcpClients: the recorder forwards and
// keeps each exchange without its bearer token; the replayer answers from a recording, matching method, path and query.

export interface GcpExchange {
  key: string;
  status: number;
  body: string;
}

/** `GET /v1/projects/p/locations/l/clusters/c?$alt=…`: what identifies a request (bodies carry nothing new). */
export function exchangeKey(method: string, url: string): string {
  const u = new URL(url);
  return `${method} ${u.pathname}${u.search}`;
}

const TOKENS = /ya29\.[A-Za-z0-9._-]+/g;
const redact = (body: string) => body.replace(TOKENS, "ya29.REDACTED").replace(/"(access_token|private_key)":"[^"]*"/g, '"$1":"REDACTED"');

export function recordingFetch(exchanges: GcpExchange[], inner: typeof fetch = fetch): typeof fetch {
  const record = async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const response = await inner(input, init);
    const body = await response.text();
    exchanges.push({ key: exchangeKey(method, url), status: response.status, body: redact(body) });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return record as typeof fetch;
}

/** Answers each request with the next recorded exchange of the same key (the last one repeats); `unmatched` lists the rest. */
export function replayingFetch(exchanges: GcpExchange[]): typeof fetch & { unmatched: string[] } {
  const queues = new Map<string, GcpExchange[]>();
  for (const e of exchanges) queues.set(e.key, [...(queues.get(e.key) ?? []), e]);
  const unmatched: string[] = [];
  const replay = async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const key = exchangeKey(init?.method ?? (input instanceof Request ? input.method : "GET"), url);
    const queue = queues.get(key);
    const e = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
    if (!e) {
      unmatched.push(key);
      return Response.json({ error: { code: 599, status: "NOT_RECORDED", message: `not in the recording: ${key}` } }, { status: 599 });
    }
    return new Response(e.body, { status: e.status, headers: { "content-type": "application/json" } });
  };
  return Object.assign(replay as typeof fetch, { unmatched });
}
