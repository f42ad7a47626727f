// `provider: existing` for `nic deploy`: no cloud resources. The one stage-02 resource is the cluster the required
// kube_context reaches (checked, never created or deleted); stage 03 runs on it through the user's own kubeconfig.
import { NicError } from "../../cli/errors.ts";
import type { NebariConfig } from "../../config/model.ts";
import type { DeployProvider } from "../../deploy/provider.ts";
import type { ClusterOutputs } from "../../outputs/types.ts";
import { contextClusterAddress, contextClusterResource, contextClusterResourceKind, contextConnection } from "../existing/context-cluster.ts";
import { existingOutputs } from "../existing/outputs.ts";

/** Nebari requires it at deploy time (ExistingInputVars.kube_context: str); validate only warns. */
function kubeContext(config: NebariConfig): string {
  const context = config.existing?.kube_context;
  if (context) return context;
  throw new NicError("CONFIG_INVALID", "existing.kube_context is required to deploy with provider: existing", {
    details: { errors: [{ path: "existing.kube_context", message: "is required: the kube context of the cluster to prepare" }] },
    recovery: ["Set existing.kube_context to a context from `kubectl config get-contexts`."],
  });
}

/** What the state records about the cluster, in the shape the shared deploy code reads (no cloud, so mostly empty). */
export function contextClusterOutputs(config: NebariConfig, context: string, endpoint: string): ClusterOutputs {
  return {
    cluster: { name: context, endpoint, ca_certificate_pem: "", version: "", oidc_issuer_url: "", arn: "" },
    networking: { vpc_id: null, subnet_ids: [], security_group_id: null },
    node_groups: [],
    storage: { type: config.storage.type, nfs_endpoint: null, efs_id: null },
    iam: { oidc_provider_arn: "", cluster_autoscaler_role_arn: "", cluster_role_arn: "", node_role_arn: "" },
  };
}

const NO_TOKEN = (context: string) =>
  new NicError("PROVIDER_UNSUPPORTED", `provider: existing uses your own kubeconfig; NIC issues no credentials for kube context "${context}"`, {
    details: { provider: "existing", context },
    recovery: [`Use your kubeconfig directly: kubectl --context ${context} get namespaces`],
  });

export const existingProvider: DeployProvider = {
  desired: (config) => [contextClusterResource("existing", kubeContext(config))],
  kinds: (_config, env) => [contextClusterResourceKind("existing", env)],
  // Stage 03 waits only for the kube context to be checked.
  clusterLinks: () => ({ api: [contextClusterAddress("existing")] }),
  clusterOutputs(config, actual) {
    const found = actual.get(contextClusterAddress("existing"));
    return contextClusterOutputs(config, String(found?.attributes.context ?? kubeContext(config)), String(found?.attributes.endpoint ?? ""));
  },
  connection: async (config, _cluster, env) => (await contextConnection(env, kubeContext(config))).connection,
  token: async (config) => Promise.reject(NO_TOKEN(kubeContext(config))),
  tokenArgs: (config) => {
    throw NO_TOKEN(kubeContext(config));
  },
  async outputs(config, actual, _paths, env) {
    const context = kubeContext(config);
    const { kubeconfig, connection } = await contextConnection(env, context);
    const namespaces = [...actual.keys()].filter((a) => a.startsWith("k8s/namespace/")).map((a) => a.split("/").pop()!);
    return { document: existingOutputs({ config, kubeconfig, context, endpoint: connection.endpoint, namespaces }) };
  },
  keepsCluster: () => true,
};
