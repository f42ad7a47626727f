// gcp/container_node_pool: one per node group. Every change is a GKE operation on the cluster, so a cluster's pools
// share one serial key and each change waits for the cluster to be free. The autoscaler owns the node count.
import type { protos } from "@google-cloud/container";
import { sameValue } from "../../../engine/compare.ts";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import { poll } from "../../aws/poll.ts";
import type { GcpClients } from "../clients.ts";
import { minorVersion } from "../desired.ts";
import { gapic, orNotFound } from "../errors.ts";
import { gkeChange } from "../operations.ts";
import { clusterPath } from "./container-cluster.ts";

type NodePool = protos.google.container.v1.INodePool;
type Taint = { key: string; value: string; effect: string };
const TIMEOUT_MS = 30 * 60_000;

/** `projects/<p>/locations/<l>/clusters/<c>/nodePools/<name>` → its parts. */
function fromId(id: string | undefined): Record<string, unknown> | undefined {
  const m = id && /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)\/nodePools\/([^/]+)$/.exec(id);
  return m ? { project: m[1], location: m[2], cluster: m[3], name: m[4] } : undefined;
}

function poolActual(project: string, location: string, cluster: string, p: NodePool): Actual {
  const c = p.config ?? {};
  return {
    id: `${clusterPath(project, location, cluster)}/nodePools/${p.name}`,
    arn: p.selfLink ?? undefined,
    attributes: {
      project,
      location,
      cluster,
      name: p.name,
      version: minorVersion(p.version ?? ""),
      initial_node_count: p.initialNodeCount ?? 0,
      autoscaling: { min_node_count: p.autoscaling?.minNodeCount ?? 0, max_node_count: p.autoscaling?.maxNodeCount ?? 0 },
      management: { auto_repair: Boolean(p.management?.autoRepair), auto_upgrade: Boolean(p.management?.autoUpgrade) },
      node_config: {
        machine_type: c.machineType,
        preemptible: Boolean(c.preemptible),
        image_type: c.imageType,
        service_account: c.serviceAccount,
        oauth_scopes: [...(c.oauthScopes ?? [])],
        taints: (c.taints ?? []).map((t) => ({ key: t.key, value: t.value ?? "", effect: String(t.effect) })),
        metadata: { ...(c.metadata ?? {}) },
        labels: { ...(c.labels ?? {}) },
        guest_accelerators: (c.accelerators ?? []).map((a) => ({ type: a.acceleratorType, count: Number(a.acceleratorCount) })),
        tags: [...(c.tags ?? [])],
      },
      status: String(p.status),
    },
  };
}

export function containerNodePoolKind(gcp: GcpClients): ResourceKind {
  const { project } = gcp;
  const parent = (location: string) => `projects/${project}/locations/${location}`;
  async function read(location: string, cluster: string, name: string): Promise<Actual | undefined> {
    const gke = await gcp.container();
    const found = await orNotFound(() => gapic(() => gke.getNodePool({ name: `${clusterPath(project, location, cluster)}/nodePools/${name}` })));
    return found && poolActual(project, location, cluster, found[0]);
  }
  const parts = (a: Record<string, unknown>) => ({ location: String(a.location), cluster: String(a.cluster), name: String(a.name) });
  const untilRunning = (a: Record<string, unknown>, signal: AbortSignal) => {
    const { location, cluster, name } = parts(a);
    return poll(`node pool ${name}`, async () => {
      const actual = await read(location, cluster, name);
      if (!actual) throw new Error(`node pool ${name} disappeared while settling`);
      if (actual.attributes.status === "ERROR") throw new Error(`node pool ${name} is in ERROR`);
      return actual.attributes.status === "RUNNING" ? actual : undefined;
    }, signal, TIMEOUT_MS);
  };

  return {
    kind: "gcp/container_node_pool",
    // Created by name: a second create is refused, and create() adopts the pool it finds.
    createsOnce: true,
    timeoutMs: TIMEOUT_MS,
    // One GKE operation per cluster at a time (the cluster kind uses the same key).
    serialKey: (_address, a) => `gke:${a.project}/${a.location}`,
    async observe(batch) {
      // One ListNodePools per cluster, not a read per pool (a no-op deploy's requests, bench P3gcpr).
      const byCluster = new Map<string, Array<{ address: string; location: string; cluster: string; name: string }>>();
      for (const l of batch) {
        // By identity when there is one (the state's or Terraform's id), else by the desired name.
        const a = fromId(l.tracked?.id) ?? l.tracked?.attributes ?? l.desired?.attributes;
        if (!a || typeof a.cluster !== "string") continue; // the cluster does not exist yet
        const p = parts(a);
        const key = `${p.location}/${p.cluster}`;
        byCluster.set(key, [...(byCluster.get(key) ?? []), { address: l.address, ...p }]);
      }
      const out = new Map<string, Actual>();
      await Promise.all([...byCluster.values()].map(async (wanted) => {
        const { location, cluster } = wanted[0]!;
        const gke = await gcp.container();
        const found = await orNotFound(() => gapic(() => gke.listNodePools({ parent: clusterPath(project, location, cluster) })));
        const pools = new Map((found?.[0].nodePools ?? []).map((p) => [p.name, p]));
        for (const w of wanted) {
          const pool = pools.get(w.name);
          if (!pool) continue;
          const actual = poolActual(project, location, cluster, pool);
          out.set(w.address, actual.attributes.status === "STOPPING" ? { ...actual, deleting: true } : actual);
        }
      }));
      return out;
    },
    async create(resource, { signal }) {
      const gke = await gcp.container();
      const a = resource.attributes as any;
      const { location, cluster, name } = parts(a);
      const nc = a.node_config;
      const nodePool: NodePool = {
        name,
        version: a.version,
        initialNodeCount: a.initial_node_count,
        autoscaling: { enabled: true, minNodeCount: a.autoscaling.min_node_count, maxNodeCount: a.autoscaling.max_node_count },
        management: { autoRepair: a.management.auto_repair, autoUpgrade: a.management.auto_upgrade },
        config: {
          machineType: nc.machine_type,
          preemptible: nc.preemptible,
          imageType: nc.image_type,
          serviceAccount: nc.service_account,
          oauthScopes: nc.oauth_scopes,
          taints: nc.taints.map((t: Taint) => ({ key: t.key, value: t.value, effect: t.effect })),
          metadata: nc.metadata,
          labels: nc.labels,
          accelerators: nc.guest_accelerators.map((g: { type: string; count: number }) => ({ acceleratorType: g.type, acceleratorCount: g.count })),
          tags: nc.tags,
        },
      } as NodePool;
      try {
        await gkeChange(gke, parent(location), `creating node pool ${name}`, async () => (await gke.createNodePool({ parent: clusterPath(project, location, cluster), nodePool }))[0], signal, TIMEOUT_MS);
      } catch (err) {
        if (!(await read(location, cluster, name))) throw err;
      }
      return (await read(location, cluster, name))!;
    },
    async update(resource, actual, _changes, { signal }) {
      const gke = await gcp.container();
      const a = resource.attributes as any;
      const { location, cluster, name } = parts(a);
      const settled = actual.attributes.status === "RUNNING" ? actual : await untilRunning(a, signal);
      const before = settled.attributes as any;
      const path = `${clusterPath(project, location, cluster)}/nodePools/${name}`;
      const change = (what: string, start: () => Promise<unknown>) =>
        gkeChange(gke, parent(location), `${what} of node pool ${name}`, async () => ((await start()) as [any])[0], signal, TIMEOUT_MS);
      if (!sameValue(a.autoscaling, before.autoscaling)) {
        await change("autoscaling", () => gke.setNodePoolAutoscaling({ name: path, autoscaling: { enabled: true, minNodeCount: a.autoscaling.min_node_count, maxNodeCount: a.autoscaling.max_node_count } }));
      }
      if (!sameValue(a.management, before.management)) {
        await change("management", () => gke.setNodePoolManagement({ name: path, management: { autoRepair: a.management.auto_repair, autoUpgrade: a.management.auto_upgrade } }));
      }
      const want = a.node_config;
      const have = before.node_config;
      const update: protos.google.container.v1.IUpdateNodePoolRequest = { name: path };
      if (!sameValue(want.labels, have.labels)) update.labels = { labels: want.labels };
      if (!sameValue(want.taints, have.taints)) update.taints = { taints: want.taints.map((t: Taint) => ({ key: t.key, value: t.value, effect: t.effect })) as never };
      if (!sameValue(want.tags, have.tags)) update.tags = { tags: want.tags };
      if (want.machine_type !== have.machine_type) update.machineType = want.machine_type;
      if (want.image_type !== have.image_type) update.imageType = want.image_type;
      if (a.version !== before.version) update.nodeVersion = a.version;
      if (Object.keys(update).length > 1) {
        update.nodeVersion ??= "-"; // GKE requires a version on every update; "-" keeps the current one
        await change("the configuration", () => gke.updateNodePool(update));
      }
      return untilRunning(a, signal);
    },
    async delete(actual, { signal }) {
      const gke = await gcp.container();
      const { location, name } = parts(actual.attributes);
      await orNotFound(() => gkeChange(gke, parent(location), `deleting node pool ${name}`, async () => (await gke.deleteNodePool({ name: actual.id }))[0], signal, TIMEOUT_MS));
    },
    async wait(actual, operation, { signal }) {
      if (operation !== "delete") return untilRunning(actual.attributes, signal);
      const { location, cluster, name } = parts(actual.attributes);
      await poll(`node pool ${name} deletion`, async () => ((await read(location, cluster, name)) ? undefined : actual), signal, TIMEOUT_MS);
      return actual;
    },
  };
}
