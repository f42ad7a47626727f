// No GCP call without a deadline (src/net/deadlines.ts): every fetch, the REST calls' and GKE's client's alike, gets
// --request-timeout. A late one is sent again (a timeout is transient, as the AWS SDK and the Kubernetes client treat
// it); the third fails with REQUEST_TIMEOUT naming the call (`container:POST clusters`).
import type { NicError } from "../../cli/errors.ts";
import { deadlines, requestTimeout, timedOutCall } from "../../net/deadlines.ts";

const ATTEMPTS = 3;

/** `send` with a deadline on every attempt; `api` names the call (container, iam, compute, ...). */
export function withDeadline(send: typeof fetch, env: Record<string, string | undefined>, api: string): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const { requestMs } = deadlines(env);
    for (let attempt = 1; ; attempt++) {
      const deadline = AbortSignal.timeout(requestMs);
      try {
        return await send(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
      } catch (err) {
        if (!deadline.aborted || init?.signal?.aborted) throw err;
        if (attempt >= ATTEMPTS) {
          const url = input instanceof Request ? input.url : String(input);
          throw requestTimeout(gcpCall(api, init?.method ?? (input instanceof Request ? input.method : "GET"), url), requestMs, attempt, err);
        }
      }
    }
  }) as typeof fetch;
}

/**
 * `container:POST clusters`, `cloudresourcemanager:POST projects:getIamPolicy`: the API, the method and the last collection
 * in the path (Google's paths alternate collection and id from `projects`), with a custom method after the colon.
 */
export function gcpCall(api: string, method: string, url: string): string {
  const parts = new URL(url).pathname.split("/").filter(Boolean);
  const from = Math.max(0, parts.indexOf("projects"));
  let collection = parts.at(-1) ?? "";
  for (let i = from; i < parts.length; i += 2) collection = parts[i]!.split(":")[0]!;
  const custom = parts.at(-1)?.split(":")[1];
  return `${api}:${method.toUpperCase()} ${collection}${custom ? `:${custom}` : ""}`;
}

/** The REQUEST_TIMEOUT a GAPIC error carries (gaxios wraps what its fetch throws), if it is one. */
export function timeoutIn(err: unknown): NicError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (timedOutCall(e)) return e as NicError;
  return undefined;
}
