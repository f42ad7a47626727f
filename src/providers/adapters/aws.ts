// AWS for `nic deploy`: stage 02 from src/providers/aws, EKS tokens for the Kubernetes API.
import type { DeployProvider } from "../../deploy/provider.ts";
import { writeFileSync } from "node:fs";
import type { Env } from "../../deploy/provider.ts";
import { awsClients } from "../aws/clients.ts";
import { ref } from "../../engine/refs.ts";
import { awsKinds, awsOutputs, awsRetryClassifier, desiredResources, eksToken } from "../aws/index.ts";
import { recorder, type Exchange } from "../aws/recording.ts";
import { redactExchanges, sessionSecrets } from "../aws/redact.ts";
import { awsTeardown } from "../aws/teardown.ts";
import { withZones } from "../aws/zones.ts";
import { awsCallerIdentity } from "../aws/identity.ts";

const recordings = new WeakMap<Env, { requestHandler?: ReturnType<typeof recorder> }>();

/**
 * NIC_RECORD=FILE records the run's AWS API conversation, redacted, for a bug report (README, "Recording a session").
 * The file is written when the process exits, whatever the outcome.
 */
function recording(env: Env) {
  const known = recordings.get(env);
  if (known) return known; // one conversation per run, however many clients take part
  const file = env.NIC_RECORD;
  if (!file) return {};
  const exchanges: Exchange[] = [];
  process.once("exit", () => writeFileSync(file, `${JSON.stringify({ exchanges: redactExchanges(exchanges, sessionSecrets(env)) }, null, 1)}\n`, { mode: 0o600 }));
  const transport = { requestHandler: recorder(exchanges) };
  recordings.set(env, transport);
  return transport;
}

export const awsProvider: DeployProvider = {
  prepare: (config, state, env) => withZones(config, state, awsClients({ region: config.amazon_web_services!.region, env, ...recording(env) })),
  desired: (config) => desiredResources(config),
  kinds: (config, env) => awsKinds({ region: config.amazon_web_services!.region, env, ...recording(env) }),
  classify: awsRetryClassifier,
  checkCredentials: async (config, env, signal) => void (await awsCallerIdentity(config.amazon_web_services!.region, env, signal, recording(env).requestHandler)),
  // The API answers once the cluster is ACTIVE (its creator is admin); the IRSA role only for the autoscaler's ServiceAccount.
  clusterLinks: (config) => ({
    api: ["aws/eks_cluster/main"],
    nodes: config.amazon_web_services!.node_groups.map((ng) => `aws/eks_node_group/${ng.name}`),
    inputs: { clusterAutoscalerRoleArn: ref("aws/iam_role/cluster_autoscaler", "arn"), region: config.amazon_web_services!.region },
  }),
  clusterOutputs: (config, actual) => awsOutputs(config, actual),
  async connection(config, cluster, env) {
    const region = config.amazon_web_services!.region;
    return { endpoint: cluster.cluster.endpoint, caPem: cluster.cluster.ca_certificate_pem, auth: { token: reused(() => eksToken(config.cluster_name, region, env)) } };
  },
  token: (config, env) => eksToken(config.cluster_name, config.amazon_web_services!.region, env),
  tokenArgs: (config) => ["kubeconfig", "token", "--cluster", config.cluster_name, "--region", config.amazon_web_services!.region],
  teardown(config, state, opts) {
    const ids = (kind: string) => Object.entries(state.resources).filter(([a]) => a.startsWith(`aws/${kind}/`)).map(([, r]) => r.provider_id);
    return awsTeardown({
      region: config.amazon_web_services!.region,
      env: opts.env,
      clusterName: config.cluster_name,
      vpcIds: ids("vpc"),
      trackedIds: new Set(ids("security_group")),
      log: opts.log,
      waitMs: opts.waitMs,
      requestHandler: opts.requestHandler,
    });
  },
};

/**
 * An EKS token for every request of the next 30 s (its presigned URL is good for 60), as kubectl keeps the one
 * `aws eks get-token` gave it: stage 03's objects start together, and each of their requests signed its own.
 */
function reused(make: () => Promise<string>, forMs = 30_000): () => Promise<string> {
  let made: { token: Promise<string>; until: number } | undefined;
  return () => {
    if (!made || Date.now() >= made.until) {
      const fresh = { token: make(), until: Date.now() + forMs };
      fresh.token.catch(() => made === fresh && (made = undefined)); // a failed signing is not kept
      made = fresh;
    }
    return made.token;
  };
}
