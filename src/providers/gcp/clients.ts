// How NIC reaches Google Cloud: one access token source and per-API endpoints, loaded on first use.
// GKE goes through @google-cloud/container (the design card) over its REST transport; IAM, Resource Manager, Artifact
// Registry and Compute are a dozen plain REST calls through google-auth-library's token and fetch (see README: sizes).
import type { ClusterManagerClient } from "@google-cloud/container";
import { timedOutCall } from "../../net/deadlines.ts";
import { withDeadline } from "./deadlines.ts";
import { GcpApiError } from "./errors.ts";

export type Env = Record<string, string | undefined>;

/** The APIs NIC calls, by gcloud's override name (CLOUDSDK_API_ENDPOINT_OVERRIDES_<API>) and their public root. */
const ROOTS = {
  container: "https://container.googleapis.com/",
  iam: "https://iam.googleapis.com/",
  cloudresourcemanager: "https://cloudresourcemanager.googleapis.com/",
  artifactregistry: "https://artifactregistry.googleapis.com/",
  compute: "https://compute.googleapis.com/",
} as const;
export type GcpApi = keyof typeof ROOTS;

export interface GcpClients {
  project: string;
  region: string;
  /** A bearer token for Google APIs (and GKE's Kubernetes API). */
  token(): Promise<string>;
  /** A JSON REST call; non-2xx answers throw GcpApiError with Google's status name. */
  rest<T = any>(api: GcpApi, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  container(): Promise<ClusterManagerClient>;
}

/** gcloud's per-API override (which `make sandbox` prints), else Google's endpoint. */
export function endpoint(api: GcpApi, env: Env): string {
  const override = env[`CLOUDSDK_API_ENDPOINT_OVERRIDES_${api.toUpperCase()}`];
  return override ? (override.endsWith("/") ? override : `${override}/`) : ROOTS[api];
}

/** Canonical status names for errors that carry none. */
const STATUS_OF: Record<number, string> = { 404: "NOT_FOUND", 409: "ALREADY_EXISTS" };

const SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/**
 * Credentials, in this order: GOOGLE_OAUTH_ACCESS_TOKEN (as Terraform's google provider reads it), then Application
 * Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, gcloud's application_default_credentials.json, the metadata server.
 */
export function tokenSource(env: Env): () => Promise<string> {
  const fixed = env.GOOGLE_OAUTH_ACCESS_TOKEN;
  if (fixed) return async () => fixed;
  let auth: Promise<import("google-auth-library").GoogleAuth> | undefined;
  return async () => {
    auth ??= import("google-auth-library").then(({ GoogleAuth }) => {
      if (env.GOOGLE_APPLICATION_CREDENTIALS) process.env.GOOGLE_APPLICATION_CREDENTIALS ??= env.GOOGLE_APPLICATION_CREDENTIALS;
      return new GoogleAuth({ scopes: [SCOPE] });
    });
    const token = await (await auth).getAccessToken();
    if (!token) throw new GcpApiError(401, "UNAUTHENTICATED", "Application Default Credentials gave no access token");
    return token;
  };
}

export interface GcpOptions {
  project: string;
  region: string;
  env: Env;
  /** Replaces the HTTP layer of every call, GKE's included (recording.ts: record or replay the conversation). */
  fetch?: typeof fetch;
}

export function gcpClients(opts: GcpOptions): GcpClients {
  const { env } = opts;
  const send = opts.fetch ?? fetch;
  const token = tokenSource(env);
  let container: Promise<ClusterManagerClient> | undefined;

  async function rest<T>(api: GcpApi, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = `${endpoint(api, env)}${path.replace(/^\//, "")}`;
    const bearer = await token();
    let res: Response;
    try {
      res = await withDeadline(send, env, api)(url, {
        method,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", "x-goog-user-project": opts.project },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if ((err as Error).name === "AbortError" || timedOutCall(err)) throw err;
      throw Object.assign(new GcpApiError(503, "UNAVAILABLE", `${method} ${url}: ${(err as Error).message}`), { code: "ECONNRESET" });
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    // Compute Engine v1 answers with code, message and errors[].reason only: its 404 and 409 read as the others'.
    if (!res.ok) throw new GcpApiError(res.status, json.error?.status ?? STATUS_OF[res.status] ?? String(res.status), json.error?.message ?? text);
    return json as T;
  }

  return {
    project: opts.project,
    region: opts.region,
    token,
    rest,
    container: () =>
      (container ??= (async () => {
        const [{ ClusterManagerClient }, { OAuth2Client }] = await Promise.all([import("@google-cloud/container"), import("google-auth-library")]);
        const url = new URL(endpoint("container", env));
        // The REST transport (`fallback`): no gRPC, no protobuf loader at run time (bun-lab.md §4.2).
        // The client asks refreshHandler whenever the token it holds is about to expire.
        const authClient = new OAuth2Client({ transporterOptions: { fetchImplementation: withDeadline(send, env, "container") } });
        authClient.refreshHandler = async () => ({ access_token: await token(), expiry_date: Date.now() + 5 * 60_000 });
        return new ClusterManagerClient({
          fallback: true,
          apiEndpoint: url.hostname,
          port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
          protocol: url.protocol.replace(":", ""),
          authClient,
          projectId: opts.project,
        } as unknown as ConstructorParameters<typeof ClusterManagerClient>[0]);
      })()),
  };
}
