// The Azure SDK clients, created on first use. Credentials: DefaultAzureCredential (service principal or workload identity
// from AZURE_*/ARM_* variables, managed identity, az login). A custom cloud (the sandbox, a sovereign cloud) is named by
// AZURE_RESOURCE_MANAGER_ENDPOINT and AZURE_AUTHORITY_HOST; extra CAs come from NODE_EXTRA_CA_CERTS, read explicitly so
// they also apply to a process that did not start with them.
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { TokenCredential } from "@azure/identity";
import type { ContainerServiceClient } from "@azure/arm-containerservice";
import type { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import type { ResourceManagementClient } from "@azure/arm-resources";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { NicError } from "../../cli/errors.ts";
import type { Env } from "../../deploy/provider.ts";
import { deadlinePolicies, signInDeadlines } from "./deadlines.ts";

const PUBLIC_ARM = "https://management.azure.com";
const PUBLIC_AUTHORITIES = /^https:\/\/login\.(microsoftonline\.(com|us)|chinacloudapi\.cn)\/?$/;

export interface AzureClients {
  subscriptionId: string;
  containerService(): Promise<ContainerServiceClient>;
  resources(): Promise<ResourceManagementClient>;
  registries(): Promise<ContainerRegistryManagementClient>;
  /** Gets the token every client's first request needs (concurrent callers share it; the credential caches it). */
  signIn(): Promise<void>;
}

export function subscriptionOf(env: Env): string {
  const id = env.ARM_SUBSCRIPTION_ID || env.AZURE_SUBSCRIPTION_ID;
  if (!id) {
    throw new NicError("INPUT_INVALID", "No Azure subscription: set ARM_SUBSCRIPTION_ID (as Nebari requires) or AZURE_SUBSCRIPTION_ID", {
      recovery: ["export ARM_SUBSCRIPTION_ID=<subscription id> (az account show --query id -o tsv)"],
    });
  }
  return id;
}

export interface AzureOptions {
  /** Replaces the HTTP layer of every client and the credential (recording or replaying, src/providers/azure/recording.ts). */
  httpClient?: HttpClient;
  /** Replaces the credential (a replay needs no sign-in). */
  credential?: TokenCredential;
}

/** What every client shares: the endpoint and the trusted CAs. The SDK's own retries (429 with Retry-After, 5xx) stay on, as the AWS SDK's do. */
function pipelineOptions(env: Env, httpClient?: HttpClient) {
  const endpoint = (env.AZURE_RESOURCE_MANAGER_ENDPOINT || PUBLIC_ARM).replace(/\/+$/, "");
  const extra = env.NODE_EXTRA_CA_CERTS ? readFileSync(env.NODE_EXTRA_CA_CERTS, "utf8") : undefined;
  // `ca` replaces the default roots in https.Agent, so the public roots go with the extra ones.
  const tlsOptions = extra ? ({ ca: [...rootCertificates, extra] } as object) : undefined;
  return { endpoint, tlsOptions, ...(httpClient ? { httpClient } : {}) };
}

/**
 * A service principal named in the environment (AZURE_* or Nebari's ARM_* names) signs in with its secret; otherwise
 * DefaultAzureCredential tries workload identity, managed identity and the az login.
 */
export async function azureCredential(env: Env, httpClient?: HttpClient): Promise<TokenCredential> {
  const { ClientSecretCredential, DefaultAzureCredential } = await import("@azure/identity");
  const authorityHost = env.AZURE_AUTHORITY_HOST;
  const custom = authorityHost !== undefined && !PUBLIC_AUTHORITIES.test(authorityHost);
  const { tlsOptions } = pipelineOptions(env);
  const { additionalPolicies, surface } = await signInDeadlines(env);
  const options = { authorityHost, additionalPolicies, ...(custom ? { disableInstanceDiscovery: true } : {}), ...(tlsOptions ? { tlsOptions } : {}), ...(httpClient ? { httpClient } : {}) } as never;
  const tenant = env.AZURE_TENANT_ID || env.ARM_TENANT_ID;
  const client = env.AZURE_CLIENT_ID || env.ARM_CLIENT_ID;
  const secret = env.AZURE_CLIENT_SECRET || env.ARM_CLIENT_SECRET;
  return surface(tenant && client && secret ? new ClientSecretCredential(tenant, client, secret, options) : new DefaultAzureCredential(options));
}

/** One credential per environment for every set of clients a run makes (deploy's and the online check's): one sign-in, one token cache. */
const credentials = new WeakMap<Env, Promise<TokenCredential>>();
function sharedCredential(env: Env): Promise<TokenCredential> {
  let c = credentials.get(env);
  if (!c) credentials.set(env, (c = azureCredential(env).then(oneRequestAtATime)));
  return c;
}

/** Calls that start together (the pre-flight check beside the first reads) share one token request; the SDK caches the token after it. */
function oneRequestAtATime(credential: TokenCredential): TokenCredential {
  const pending = new Map<string, ReturnType<TokenCredential["getToken"]>>();
  return {
    getToken(scopes, options) {
      const key = [scopes].flat().join(" ");
      let request = pending.get(key);
      if (!request) pending.set(key, (request = credential.getToken(scopes, options).finally(() => pending.delete(key))));
      return request;
    },
  };
}

export function azureClients(env: Env, opts: AzureOptions = {}): AzureClients {
  const subscriptionId = subscriptionOf(env);
  const options = pipelineOptions(env, opts.httpClient);
  // A custom ARM endpoint is its own token audience; the public one is https://management.azure.com.
  const scopes = [`${options.endpoint}/.default`];
  let credential: Promise<TokenCredential> | undefined;
  const cred = () => (credential ??= opts.credential ? Promise.resolve(opts.credential) : opts.httpClient ? azureCredential(env, opts.httpClient) : sharedCredential(env));
  const once = <T>(make: () => Promise<T>) => {
    let made: Promise<T> | undefined;
    return () => (made ??= make());
  };
  const policies = once(() => deadlinePolicies(env));
  return {
    subscriptionId,
    // As the clients' bearer policy asks: a token asked without enableCae is cached apart, and the clients would sign in again.
    signIn: async () => void (await (await cred()).getToken(scopes, { enableCae: true })),
    containerService: once(async () => {
      const { ContainerServiceClient } = await import("@azure/arm-containerservice");
      return new ContainerServiceClient(await cred(), subscriptionId, { ...options, credentials: { scopes }, additionalPolicies: await policies() } as never);
    }),
    resources: once(async () => {
      const { ResourceManagementClient } = await import("@azure/arm-resources");
      return new ResourceManagementClient(await cred(), subscriptionId, { ...options, credentialScopes: scopes, additionalPolicies: await policies() } as never);
    }),
    registries: once(async () => {
      const { ContainerRegistryManagementClient } = await import("@azure/arm-containerregistry");
      return new ContainerRegistryManagementClient(await cred(), subscriptionId, { ...options, credentials: { scopes }, additionalPolicies: await policies() } as never);
    }),
  };
}
