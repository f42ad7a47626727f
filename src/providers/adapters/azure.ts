// Azure for `nic deploy`: stage 02 from src/providers/azure; stage 03 and outputs.json through the cluster's user
// credentials (a client certificate), as Nebari's Terraform reads them from kube_config.
import { writeFileSync } from "node:fs";
import type { HttpClient } from "@azure/core-rest-pipeline";
import type { DeployProvider, Env } from "../../deploy/provider.ts";
import type { AzureOptions } from "../azure/clients.ts";
import { recordingHttpClient, type AzureExchange } from "../azure/recording.ts";
import type { NebariConfig } from "../../config/model.ts";
import type { Actual, Address } from "../../engine/types.ts";
import { checkAzureCredentials } from "../azure/identity.ts";
import { azureClients, azureKinds, azureOutputs, azureOutputsDocument, azureRetryClassifier, clusterCredentials, CLUSTER, desiredResources, names, type AksCredentials, type AzureClients } from "../azure/index.ts";

const clients = new WeakMap<Env, AzureClients>();
/** One set of clients (and one credential, with its token cache) per run; NIC_RECORD=FILE records their conversation. */
function azureFor(env: Env): AzureClients {
  let c = clients.get(env);
  if (!c) clients.set(env, (c = azureClients(env, recording(env))));
  return c;
}

/** NIC_RECORD=FILE: the run's Azure conversation, redacted, written when the process exits (README, "Recording a session"). */
function recording(env: Env): AzureOptions {
  const file = env.NIC_RECORD;
  if (!file) return {};
  const exchanges: AzureExchange[] = [];
  process.once("exit", () => writeFileSync(file, `${JSON.stringify({ exchanges }, null, 1)}\n`, { mode: 0o600 }));
  return { httpClient: lazyRecorder(exchanges) };
}

/** The default HTTP client, loaded on the first request, wrapped by the recorder. */
function lazyRecorder(exchanges: AzureExchange[]): HttpClient {
  let client: Promise<HttpClient> | undefined;
  return {
    async sendRequest(request) {
      client ??= import("@azure/core-rest-pipeline").then(({ createDefaultHttpClient }) => recordingHttpClient(createDefaultHttpClient(), exchanges));
      return (await client).sendRequest(request);
    },
  };
}

const credentials = new WeakMap<Env, Map<string, Promise<AksCredentials>>>();
/**
 * The cluster's user credentials, from where the state records the cluster (else where Nebari names it). Read once per
 * run: stage 03's connection and outputs.json share them (a second listClusterUserCredential is a secret sent twice).
 */
function credentialsFor(config: NebariConfig, env: Env, actual?: Map<Address, Actual>) {
  const cluster = actual?.get(CLUSTER)?.attributes;
  const n = names(config);
  const [group, name] = [String(cluster?.resource_group_name ?? n.resourceGroup), String(cluster?.name ?? n.cluster)];
  let known = credentials.get(env);
  if (!known) credentials.set(env, (known = new Map()));
  let read = known.get(`${group}/${name}`);
  if (!read) {
    known.set(`${group}/${name}`, (read = clusterCredentials(azureFor(env), group, name)));
    read.catch(() => known.delete(`${group}/${name}`)); // a failed read is tried again
  }
  return read;
}

export const azureProvider: DeployProvider = {
  desired: (config) => desiredResources(config),
  kinds: (config, env) => azureKinds(config, azureFor(env)),
  // Two round trips to Azure AD before the first ARM call: started before the ARM SDK modules load and the state is locked.
  startSignIn: (env) => void azureFor(env).signIn().catch(() => {}),
  checkCredentials: (_config, env, signal) => checkAzureCredentials(azureFor(env), signal),
  classify: azureRetryClassifier,
  // Stage 03 waits for the AKS cluster only (its system pool comes with it); a waited Deployment also for the user pools.
  clusterLinks: (config) => ({
    api: [CLUSTER],
    nodes: desiredResources(config).filter((r) => r.kind === "azure/kubernetes_cluster_node_pool").map((r) => r.address),
  }),
  clusterOutputs: (config, actual) => azureOutputs(config, actual),
  async connection(config, _cluster, env) {
    const c = await credentialsFor(config, env);
    return { endpoint: c.host, caPem: c.cluster_ca_certificate, auth: { clientCertPem: c.client_certificate, clientKeyPem: c.client_key } };
  },
  token: async (config, env) => (await credentialsFor(config, env)).password,
  // The kubeconfig carries a client certificate, not an exec credential.
  tokenArgs: () => [],
  async outputs(config, actual, paths, env) {
    const c = await credentialsFor(config, env, actual);
    return { document: azureOutputsDocument(config, actual, c, paths.kubeconfig), kubeconfig: c.kubeconfig };
  },
};
