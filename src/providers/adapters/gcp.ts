// GCP for `nic deploy`: stage 02 from src/providers/gcp, Google access tokens for GKE's Kubernetes API.
import type { NebariConfig } from "../../config/model.ts";
import type { DeployProvider, Env } from "../../deploy/provider.ts";
import { CLUSTER, poolAddress } from "../gcp/desired.ts";
import { checkGcpCredentials } from "../gcp/identity.ts";
import { desiredResources, gcpClients, gcpKinds, gcpOutputs, gcpRetryClassifier, tokenSource, withZones } from "../gcp/index.ts";

const clients = (config: NebariConfig, env: Env) => gcpClients({ project: config.google_cloud_platform!.project, region: config.google_cloud_platform!.region, env });

export const gcpProvider: DeployProvider = {
  prepare: (config, state, env) => withZones(config, state, clients(config, env)),
  desired: (config) => desiredResources(config),
  kinds: (config, env) => gcpKinds(clients(config, env)),
  checkCredentials: (config, env, signal) => checkGcpCredentials(clients(config, env), signal),
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
};
