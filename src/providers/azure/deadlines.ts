// No Azure call without a deadline (src/net/deadlines.ts). Each attempt gets --request-timeout; the SDK's HTTP client
// aborts a late one with an AbortError its retry policy would not retry, so it becomes a transient ETIMEDOUT, which the
// SDK retries; the last one fails with REQUEST_TIMEOUT naming the call (`arm:PUT managedClusters`).
import type { TokenCredential } from "@azure/identity";
import type { PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";
import type { NicError } from "../../cli/errors.ts";
import { deadlines, requestTimeout } from "../../net/deadlines.ts";
import type { Env } from "../../deploy/provider.ts";

export type AdditionalPolicy = { policy: PipelinePolicy; position: "perCall" | "perRetry" };

/** The two policies every Azure client (ARM and the sign-in) adds; `name` names a request for the error. */
export async function deadlinePolicies(env: Env, name: (request: PipelineRequest) => string = armCall, onTimeout?: (err: NicError) => void): Promise<AdditionalPolicy[]> {
  const { RestError, isRestError } = await import("@azure/core-rest-pipeline");
  const { requestMs } = deadlines(env);
  const attempts = new WeakMap<PipelineRequest, number>();
  const perAttempt: PipelinePolicy = {
    name: "nicAttemptDeadline",
    async sendRequest(request, next) {
      attempts.set(request, (attempts.get(request) ?? 0) + 1);
      request.timeout = requestMs;
      try {
        return await next(request);
      } catch (err) {
        if ((err as Error)?.name !== "AbortError" || request.abortSignal?.aborted) throw err;
        throw new RestError(`no answer within ${requestMs} ms`, { code: "ETIMEDOUT", request });
      }
    },
  };
  const perCall: PipelinePolicy = {
    name: "nicNameTimeouts",
    async sendRequest(request, next) {
      try {
        return await next(request);
      } catch (err) {
        if (!isRestError(err) || err.code !== "ETIMEDOUT") throw err;
        const timeout = requestTimeout(name(request), requestMs, attempts.get(request) ?? 1, err);
        onTimeout?.(timeout);
        throw timeout;
      }
    },
  };
  return [
    { policy: perCall, position: "perCall" },
    { policy: perAttempt, position: "perRetry" },
  ];
}

/**
 * The sign-in's policies, and `surface`, which makes a credential fail with the REQUEST_TIMEOUT behind its failure (MSAL
 * wraps it into a CredentialUnavailableError that no longer says a call timed out).
 */
export async function signInDeadlines(env: Env) {
  let timedOut: NicError | undefined;
  const additionalPolicies = await deadlinePolicies(env, (request) => `entra:${request.method} ${new URL(request.url).pathname.split("/").pop()}`, (err) => (timedOut = err));
  const surface = (credential: TokenCredential): TokenCredential => ({
    async getToken(scopes, options) {
      timedOut = undefined;
      try {
        return await credential.getToken(scopes, options);
      } catch (err) {
        throw timedOut ?? err;
      }
    },
  });
  return { additionalPolicies, surface };
}

/**
 * `arm:PUT managedClusters`: the method and the last resource type (or action) in the path. ARM paths alternate type and
 * name after the subscription and the provider namespace.
 */
export function armCall(request: Pick<PipelineRequest, "method" | "url">): string {
  const parts = new URL(request.url).pathname.split("/").filter(Boolean);
  let last = parts[0] ?? "";
  for (let i = 0; i < parts.length; i += 2) {
    if (/^(subscriptions|providers)$/i.test(parts[i]!)) continue;
    last = parts[i]!;
  }
  return `arm:${request.method} ${last}`;
}
