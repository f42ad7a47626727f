// The cluster a kube context reaches, as one engine resource: NIC checks that its API answers (it lists namespaces, as
// Nebari's check does) and records where it is. It never creates, changes or deletes the cluster: deleting the resource
// only forgets it.
import { NicError } from "../../cli/errors.ts";
import type { Env } from "../../deploy/provider.ts";
import type { Actual, Address, Resource, ResourceKind } from "../../engine/types.ts";
import type { ClusterConnection } from "../../kubernetes/index.ts";
import { kubeconfigWithContext } from "./kubeconfig.ts";

export type ContextProvider = "existing" | "local";

export const contextClusterKind = (provider: ContextProvider) => `${provider}/kubernetes_cluster`;
export const contextClusterAddress = (provider: ContextProvider): Address => `${contextClusterKind(provider)}/main`;

/** The desired resource: the context by name. Pointing the deployment at another context replaces it, refused without --allow-replace. */
export function contextClusterResource(provider: ContextProvider, context: string): Resource {
  const nebari = provider === "local" ? "; Nebari would ignore kube_context and create the kind cluster test-cluster" : "";
  return {
    address: contextClusterAddress(provider),
    kind: contextClusterKind(provider),
    attributes: { context },
    immutableFields: ["context"],
    protected: true,
    note: `the cluster of kube context "${context}": NIC uses it and never creates or deletes it${nebari}`,
  };
}

const connections = new Map<string, Promise<{ kubeconfig: string; connection: ClusterConnection }>>();

/**
 * How NIC reaches the context: the kubeconfig file that defines it, and a connection with that file's credentials.
 * One per context and run, so an exec plugin (`aws eks get-token` takes a second) runs once, not once per read.
 */
export function contextConnection(env: Env, context: string): Promise<{ kubeconfig: string; connection: ClusterConnection }> {
  const key = JSON.stringify([env.KUBECONFIG, env.HOME, context]);
  let found = connections.get(key);
  if (!found) {
    found = (async () => {
      const kubeconfig = await kubeconfigWithContext(env, context);
      const { connectionFromKubeconfig } = await import("../../kubernetes/index.ts");
      return { kubeconfig, connection: await connectionFromKubeconfig(kubeconfig, context) };
    })();
    found.catch(() => connections.delete(key)); // a failure is not remembered: the next read tries again
    connections.set(key, found);
  }
  return found;
}

/** Lists namespaces through the context; any failure is an error that names the context. */
export async function checkContext(env: Env, context: string, signal?: AbortSignal): Promise<Actual> {
  const { kubeconfig, connection } = await contextConnection(env, context);
  const { KubeClient } = await import("../../kubernetes/index.ts");
  try {
    await new KubeClient(connection).request("GET", "/api/v1/namespaces", { signal });
  } catch (err) {
    throw new NicError("READ_FAILED", `The Kubernetes API of kube context "${context}" (${connection.endpoint}, from ${kubeconfig}) does not answer: ${(err as Error).message}`, {
      details: { phase: "cloud", context, kubeconfig, endpoint: connection.endpoint },
      recovery: [
        `Check the context with \`kubectl --context ${context} get namespaces\`: the cluster must be running and the credentials valid.`,
        "NIC trusts only the CA the kubeconfig names; it skips TLS verification only where the kubeconfig sets insecure-skip-tls-verify.",
      ],
      cause: err,
    });
  }
  return { id: context, attributes: { context, endpoint: connection.endpoint } };
}

/** `describe`: more facts to record beside the context (local: the docker kind network, for MetalLB's pool). */
export function contextClusterResourceKind(provider: ContextProvider, env: Env, describe?: (signal?: AbortSignal) => Promise<Record<string, unknown>>): ResourceKind {
  const read = async (context: string, signal?: AbortSignal): Promise<Actual> => {
    const actual = await checkContext(env, context, signal);
    return describe ? { ...actual, attributes: { ...actual.attributes, ...(await describe(signal)) } } : actual;
  };
  return {
    kind: contextClusterKind(provider),
    timeoutMs: 60_000,
    idempotent: true,
    // The context the state recorded is read (a changed kube_context then shows as a replacement, not as a silent move).
    async observe(batch, ctx) {
      const found = new Map<Address, Actual>();
      for (const lookup of batch) {
        const context = String(lookup.tracked?.attributes.context ?? lookup.desired?.attributes.context);
        found.set(lookup.address, await read(context, ctx.signal));
      }
      return found;
    },
    create: (resource, ctx) => read(String(resource.attributes.context), ctx.signal),
    update: (resource, _actual, _changes, ctx) => read(String(resource.attributes.context), ctx.signal),
    async delete() {}, // the cluster is the user's: NIC forgets it and leaves it running
  };
}
