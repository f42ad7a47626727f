// `provider: local` for `nic deploy`, as Nebari's local template: the kind cluster `test-cluster` (through the kind and
// docker CLIs) with MetalLB v0.12.1 and its layer-2 pool. With local.kube_context set, NIC uses that context instead
// and creates no cluster (Nebari ignores kube_context for local); MetalLB then comes only if a docker `kind` network exists.
import { NicError } from "../../cli/errors.ts";
import type { NebariConfig } from "../../config/model.ts";
import type { DeployProvider, Env } from "../../deploy/provider.ts";
import { ref } from "../../engine/refs.ts";
import type { Address } from "../../engine/types.ts";
import type { ClusterConnection } from "../../kubernetes/index.ts";
import { contextClusterAddress, contextClusterResource, contextClusterResourceKind, contextConnection } from "../existing/context-cluster.ts";
import { minifiedKubeconfig } from "../existing/kubeconfig.ts";
import { withTempFile } from "../local/cli.ts";
import { KIND_CLUSTER_ADDRESS, KIND_CONTEXT, kindClusterKind, kindClusterResource, kindKubeconfig, kindNetworkSubnet } from "../local/kind.ts";
import { metallbPool, metallbResources } from "../local/metallb.ts";
import { localOutputs } from "../local/outputs.ts";
import { contextClusterOutputs } from "./existing.ts";

const contextOf = (config: NebariConfig) => config.local?.kube_context ?? undefined;
const clusterAddress = (config: NebariConfig): Address => (contextOf(config) ? contextClusterAddress("local") : KIND_CLUSTER_ADDRESS);

/** How NIC reaches the cluster, and the kubeconfig text to write for Nebari's later stages. */
async function reach(config: NebariConfig, env: Env): Promise<{ context: string; kubeconfig: string; connection: ClusterConnection }> {
  const context = contextOf(config);
  if (context) {
    const { kubeconfig: file, connection } = await contextConnection(env, context);
    return { context, kubeconfig: await minifiedKubeconfig(file, context), connection };
  }
  const kubeconfig = await kindKubeconfig(env);
  const { connectionFromKubeconfig } = await import("../../kubernetes/index.ts");
  const connection = await withTempFile("kubeconfig", kubeconfig, (path) => connectionFromKubeconfig(path, KIND_CONTEXT));
  return { context: KIND_CONTEXT, kubeconfig, connection };
}

/** `nic kubeconfig` has nothing to add: the deploy wrote the cluster's own kubeconfig (outputs.json kubeconfig_filename). */
const NO_TOKEN = () =>
  new NicError("PROVIDER_UNSUPPORTED", "provider: local uses the cluster's own credentials; NIC issues none", {
    details: { provider: "local" },
    recovery: ["Use the kubeconfig `nic deploy` wrote: outputs.json's kubeconfig_filename (.nebari/stages/02-infrastructure/kubeconfig)."],
  });

export const localProvider: DeployProvider = {
  desired: (config) => {
    const context = contextOf(config);
    return [context ? contextClusterResource("local", context) : kindClusterResource()];
  },
  kinds: (config, env) => contextOf(config)
    ? [contextClusterResourceKind("local", env, async (signal) => ({ kind_network_subnet: await kindNetworkSubnet(env, { optional: true, signal }) }))]
    : [kindClusterKind(env)],
  // Stage 03 waits for the cluster (created by kind, or the kube context checked).
  clusterLinks: (config) => ({ api: [clusterAddress(config)] }),
  kubernetesExtras(config, actual) {
    const subnet = actual.get(clusterAddress(config))?.attributes.kind_network_subnet;
    if (typeof subnet === "string") return metallbResources(metallbPool(subnet));
    // A kind cluster always gets MetalLB (its pool is known once the cluster exists); a kube context only with a kind network.
    return contextOf(config) ? [] : metallbResources(ref(KIND_CLUSTER_ADDRESS, "metallb_config"));
  },
  clusterOutputs(config, actual) {
    const found = actual.get(clusterAddress(config));
    return contextClusterOutputs(config, contextOf(config) ?? KIND_CONTEXT, String(found?.attributes.endpoint ?? ""));
  },
  connection: async (config, _cluster, env) => (await reach(config, env)).connection,
  token: async () => Promise.reject(NO_TOKEN()),
  tokenArgs: () => {
    throw NO_TOKEN();
  },
  async outputs(config, actual, paths, env) {
    const { context, kubeconfig, connection } = await reach(config, env);
    const namespaces = [...actual.keys()].filter((a) => a.startsWith("k8s/namespace/")).map((a) => a.split("/").pop()!);
    return { document: localOutputs({ config, kubeconfig: paths.kubeconfig, context, connection, namespaces }), kubeconfig };
  },
  /** The cluster stays when it is the user's: a kube context, or a kind cluster NIC found rather than created. */
  keepsCluster: (config, state) => Boolean(contextOf(config)) || state.resources[KIND_CLUSTER_ADDRESS]?.attributes.created_by_nic !== true,
};

