// Nebari's kind cluster (infrastructure/template/local/main.tf `kind_cluster.default`) through the kind CLI, and the
// docker `kind` network MetalLB's pool comes from (`data.docker_network.kind`).
import { stringify } from "yaml";
import type { Env } from "../../deploy/provider.ts";
import type { Actual, Address, Lookup, Resource, ResourceKind } from "../../engine/types.ts";
import { requireDockerDaemon, requireTools, run, withTempFile } from "./cli.ts";
import { metallbPool, poolConfig } from "./metallb.ts";

export const KIND_CLUSTER = "test-cluster";
export const KIND_NODE_IMAGE = "kindest/node:v1.32.5";
export const KIND_CONTEXT = `kind-${KIND_CLUSTER}`;
export const KIND_CLUSTER_ADDRESS: Address = `local/kind_cluster/${KIND_CLUSTER}`;
/** tehcyx/kind's wait_for_ready: until the control plane's node is Ready. */
const WAIT = "5m";

/**
 * The kind configuration Nebari's template asks for: one node, image kindest/node:v1.32.5. The template says
 * `role = "general"`, but tehcyx/kind keeps only control-plane and worker (flattenKindConfigNodes) and kind defaults an
 * empty role to control-plane, so that is the node Nebari gets, and the role NIC writes (kind itself rejects "general").
 */
export function kindConfig(): string {
  return stringify({ kind: "Cluster", apiVersion: "kind.x-k8s.io/v1alpha4", nodes: [{ role: "control-plane", image: KIND_NODE_IMAGE }] });
}

export function kindClusterResource(): Resource {
  return { address: KIND_CLUSTER_ADDRESS, kind: "local/kind_cluster", attributes: { name: KIND_CLUSTER }, immutableFields: ["name"], protected: true };
}

/** `kind get clusters`: one name a line ("No kind clusters found." goes to stderr). */
export async function kindClusters(env: Env, signal?: AbortSignal): Promise<string[]> {
  return (await run(env, "kind", ["get", "clusters"], signal)).split("\n").map((l) => l.trim()).filter(Boolean);
}

/** `kind get kubeconfig --name test-cluster`: the kubeconfig tehcyx/kind reads the endpoint and credentials from. */
export const kindKubeconfig = (env: Env, signal?: AbortSignal) => run(env, "kind", ["get", "kubeconfig", "--name", KIND_CLUSTER], signal);

/**
 * The subnet of the docker network `kind`: the first IPAM entry with a gateway, as Nebari's locals pick it.
 * `optional`: null instead of an error when docker or the network is not there.
 */
export async function kindNetworkSubnet(env: Env, opts: { optional?: boolean; signal?: AbortSignal } = {}): Promise<string | null> {
  try {
    const [network] = JSON.parse(await run(env, "docker", ["network", "inspect", "kind"], opts.signal)) as Array<{ IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> } }>;
    const entry = network?.IPAM?.Config?.find((c) => c.Gateway);
    if (!entry?.Subnet) throw new Error("the docker network kind has no IPAM entry with a gateway");
    return entry.Subnet;
  } catch (err) {
    if (opts.optional) return null;
    throw err;
  }
}

export function kindClusterKind(env: Env): ResourceKind {
  // metallb_config: MetalLB's ConfigMap refers to it when the cluster is created in the same run as stage 03.
  const read = async (createdByNic: boolean, signal: AbortSignal): Promise<Actual> => {
    const subnet = await kindNetworkSubnet(env, { signal });
    return { id: KIND_CLUSTER, attributes: { name: KIND_CLUSTER, created_by_nic: createdByNic, kind_network_subnet: subnet, ...(subnet && { metallb_config: poolConfig(metallbPool(subnet)) }) } };
  };
  return {
    kind: "local/kind_cluster",
    timeoutMs: 15 * 60_000,
    async observe(batch: Lookup[], ctx) {
      requireTools(env, ["kind", "docker"], "provider: local without local.kube_context (NIC creates the kind cluster test-cluster)");
      await requireDockerDaemon(env, ctx.signal);
      const found = new Map<Address, Actual>();
      if (!(await kindClusters(env, ctx.signal)).includes(KIND_CLUSTER)) return found;
      // A cluster found but not in state was made by someone else: NIC uses it and never deletes it.
      for (const lookup of batch) found.set(lookup.address, await read(lookup.tracked?.attributes.created_by_nic === true, ctx.signal));
      return found;
    },
    async create(_resource, ctx) {
      await withTempFile("kind-config.yaml", kindConfig(), (config) =>
        run(env, "kind", ["create", "cluster", "--name", KIND_CLUSTER, "--config", config, "--wait", WAIT], ctx.signal));
      return read(true, ctx.signal);
    },
    update: (_resource, actual, _changes, ctx) => read(actual.attributes.created_by_nic === true, ctx.signal),
    async delete(actual, ctx) {
      if (actual.attributes.created_by_nic !== true) return; // not NIC's: forgotten, left running
      await run(env, "kind", ["delete", "cluster", "--name", KIND_CLUSTER], ctx.signal);
    },
  };
}
