// Recording and replaying the Azure conversation (ARM and Azure AD), for bug reports (NIC_RECORD) and tests that need no
// sandbox. An HttpClient for every SDK client and the credential: the recorder forwards and keeps each exchange with
// secrets redacted; the replayer answers from a recording, matching method, path and query (case-insensitively, as ARM does).
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";

export interface AzureExchange {
  key: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `PUT /subscriptions/…/managedclusters/x?api-version=…`: what identifies a request (bodies carry secrets or nothing new). */
export function exchangeKey(method: string, url: string): string {
  const u = new URL(url);
  u.searchParams.delete("client-request-id"); // MSAL's, new on every run
  return `${method} ${u.pathname.toLowerCase()}${u.search}`;
}

const SECRET_FIELDS = /"(access_token|refresh_token|id_token|client_secret|value)":"[^"]*"/g;

/** Tokens, and the kubeconfigs listClusterUserCredential returns (their `value`), never reach a recording. */
export function redactBody(body: string): string {
  return body.replace(SECRET_FIELDS, (_m, field) => `"${field}":"REDACTED"`);
}

export function recordingHttpClient(inner: HttpClient, exchanges: AzureExchange[]): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const response = await inner.sendRequest(request);
      const body = response.bodyAsText ?? "";
      const headers: Record<string, string> = {};
      for (const [name, value] of response.headers) if (!/^(set-cookie|authorization)$/i.test(name)) headers[name] = value;
      exchanges.push({ key: exchangeKey(request.method, request.url), status: response.status, headers, body: redactBody(body) });
      return response;
    },
  };
}

/** Answers each request with the next recorded exchange of the same key; `unmatched` lists requests it could not answer. */
export async function replayingHttpClient(exchanges: AzureExchange[]): Promise<HttpClient & { unmatched: string[] }> {
  const { createHttpHeaders } = await import("@azure/core-rest-pipeline");
  const queues = new Map<string, AzureExchange[]>();
  for (const e of exchanges) queues.set(e.key, [...(queues.get(e.key) ?? []), e]);
  const unmatched: string[] = [];
  return {
    unmatched,
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const key = exchangeKey(request.method, request.url);
      const queue = queues.get(key);
      const e = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
      if (!e) {
        unmatched.push(key);
        return { request, status: 599, headers: createHttpHeaders(), bodyAsText: JSON.stringify({ error: { code: "NotRecorded", message: `not in the recording: ${key}` } }) };
      }
      // A redacted token is still a token to the client.
      const body = e.body.replace('"access_token":"REDACTED"', '"access_token":"replayed"');
      return { request, status: e.status, headers: createHttpHeaders(e.headers), bodyAsText: body };
    },
  };
}
