// GCP for `nic deploy`: stage 02 from src/providers/gcp, Google access tokens for GKE's Kubernetes API.
import { writeFileSync } from "node:fs";
import type { NebariConfig } from "../../config/model.ts";
import type { DeployProvider, Env } from "../../deploy/provider.ts";
import { CLUSTER, poolAddress } from "../gcp/desired.ts";
import { checkGcpCredentials } from "../gcp/identity.ts";
import { recordingFetch, type GcpExchange } from "../gcp/recording.ts";
import { gcpTeardown } from "../gcp/teardown.ts";
import { desiredResources, gcpClients, gcpKinds, gcpOutputs, gcpRetryClassifier, tokenSource, withZones } from "../gcp/index.ts";

const recordings = new WeakMap<Env, typeof fetch>();

/** NIC_RECORD=FILE: the run's GCP conversation, bearer tokens redacted, written when the process exits (README, "Recording a session"). */
function recording(env: Env): typeof fetch | undefined {
  const file = env.NIC_RECORD;
  if (!file) return undefined;
  let send = recordings.get(env);
  if (!send) {
    const exchanges: GcpExchange[] = [];
    process.once("exit", () => writeFileSync(file, `${JSON.stringify({ exchanges }, null, 1)}\n`, { mode: 0o600 }));
    recordings.set(env, (send = recordingFetch(exchanges)));
  }
  return send;
}

const clients = (config: NebariConfig, env: Env) =>
  gcpClients({ project: config.google_cloud_platform!.project, region: config.google_cloud_platform!.region, env, fetch: recording(env) });

/**
 * GKE's client (@google-cloud/container) takes a few hundred ms to load: started with the first GCP call, it loads while
 * that call and the reads of the other resources wait on the network, instead of before the cluster's read.
 */
const warmGke = () => void import("@google-cloud/container").catch(() => {});

export const gcpProvider: DeployProvider = {
  prepare: (config, state, env) => (warmGke(), withZones(config, state, clients(config, env))),
  desired: (config) => desiredResources(config),
  kinds: (config, env) => gcpKinds(clients(config, env)),
  checkCredentials: (config, env, signal) => (warmGke(), checkGcpCredentials(clients(config, env), signal)),
  classify: gcpRetryClassifier,
  // Stage 03 waits for the cluster's API (RUNNING, default pool removed); a waited Deployment also for the node pools.
  clusterLinks: (config) => ({
    api: [CLUSTER],
    nodes: config.google_cloud_platform!.node_groups.map((g) => poolAddress(g.name)),
  }),
  clusterOutputs: (config, actual) => gcpOutputs(config, actual),
  async connection(_config, cluster, env) {
    return { endpoint: cluster.cluster.endpoint, caPem: cluster.cluster.ca_certificate_pem, auth: { token: tokenSource(env) } };
  },
  token: (_config, env) => tokenSource(env)(),
  tokenArgs: () => ["kubeconfig", "token", "--provider", "gcp"],
  // What GKE made for LoadBalancer Services and left behind (a cluster deleted before its Services).
  teardown(config, state, opts) {
    const a = state.resources[CLUSTER]?.attributes ?? {};
    const cluster = { name: String(a.name ?? config.cluster_name), location: String(a.location ?? config.google_cloud_platform!.region), id: a.cluster_id ? String(a.cluster_id) : undefined };
    return gcpTeardown(clients(config, opts.env), { cluster, log: opts.log, waitMs: opts.waitMs });
  },
};
