// The GCP side of `nic destroy` that the engine's graph cannot know: what GKE's service controller made for the cluster's
// LoadBalancer Services, which outlives a cluster deleted before its Services (a crashed destroy, a cluster deleted by
// hand). Found as GKE names them: firewalls `k8s-…` on the nodes' network tag `gke-<cluster>-<8 hex of its id>-node`;
// for each `k8s-fw-<lb>` the forwarding rule and target pool `<lb>` in the cluster's region, and for the health-check
// firewall `k8s-<uid>-node-http-hc` the HTTP health check `k8s-<uid>-node` the pools use. NotFound means done.
import type { Logger } from "../../cli/log.ts";
import type { SweepReport, Teardown } from "../../destroy/teardown.ts";
import { sleep } from "../../engine/retry.ts";
import type { GcpClients } from "./clients.ts";
import { orNotFound } from "./errors.ts";

export interface GcpSweepOptions {
  /** The cluster as the state records it; `id` is GKE's (absent in a state that never saw the cluster). */
  cluster: { name: string; location: string; id?: string };
  log: Logger;
  /** How long to wait for one Compute operation. */
  waitMs?: number;
}

interface Operation {
  name: string;
  status: string;
  selfLink: string;
  error?: { errors?: Array<{ message?: string }> };
}

interface Listed {
  items?: Array<Record<string, any>>;
  nextPageToken?: string;
}

/** The load balancer's name in a GKE service firewall (`k8s-fw-a<31 hex>`). */
const SERVICE_FIREWALL = /^k8s-fw-(a[0-9a-f]{31,32})$/;
/** The cluster's uid in its health-check firewall, which also names its HTTP health check `k8s-<uid>-node`. */
const HEALTH_FIREWALL = /^k8s-([0-9a-f]{16})-node-http-hc$/;

export function gcpTeardown(gcp: GcpClients, opts: GcpSweepOptions): Teardown {
  const { project } = gcp;
  const { name, location, id } = opts.cluster;
  const waitMs = opts.waitMs ?? 10 * 60_000;
  const compute = `compute/v1/projects/${project}`;
  // Without GKE's id (a state from before it was recorded), any 8-hex hash of a cluster so named.
  const nodeTag = new RegExp(`^gke-${escape(name)}-${id ? escape(id.slice(0, 8)) : "[0-9a-f]{8}"}-node$`);

  async function list(path: string, signal: AbortSignal): Promise<Array<Record<string, any>>> {
    const items: Array<Record<string, any>> = [];
    let token: string | undefined;
    do {
      const page = await gcp.rest<Listed>("compute", "GET", `${path}${token ? `?pageToken=${encodeURIComponent(token)}` : ""}`, undefined, signal);
      items.push(...(page.items ?? []));
      token = page.nextPageToken;
    } while (token);
    return items;
  }

  /** Deletes and waits for Compute's operation to be DONE (a target pool can go only once its forwarding rule has). */
  async function remove(path: string, signal: AbortSignal): Promise<boolean> {
    let op = await orNotFound(() => gcp.rest<Operation>("compute", "DELETE", path, undefined, signal));
    if (!op) return false;
    const started = Date.now();
    while (op.status !== "DONE") {
      if (Date.now() - started > waitMs) throw new Error(`gave up waiting for the deletion of ${path} after ${Math.round(waitMs / 1000)} s`);
      await sleep(Math.min(2000, 100 + (Date.now() - started) / 5), signal);
      op = await gcp.rest<Operation>("compute", "GET", new URL(op.selfLink).pathname.replace(/^\//, ""), undefined, signal);
    }
    const failed = op.error?.errors?.map((e) => e.message).join("; ");
    if (failed) throw new Error(`deleting ${path}: ${failed}`);
    return true;
  }

  async function sweep(signal: AbortSignal): Promise<SweepReport> {
    const firewalls = (await list(`${compute}/global/firewalls`, signal)).filter((f) => String(f.name).startsWith("k8s-") && (f.targetTags ?? []).some((t: string) => nodeTag.test(t)));
    const balancers = new Set(firewalls.flatMap((f) => SERVICE_FIREWALL.exec(f.name)?.[1] ?? []));
    const region = `${compute}/regions/${location}`;
    const deleted: string[] = [];
    // Forwarding rules first: each holds its target pool; the firewalls go last.
    for (const [type, collection] of [["forwarding-rule", "forwardingRules"], ["target-pool", "targetPools"]] as const) {
      const found = balancers.size ? (await list(`${region}/${collection}`, signal)).filter((x) => balancers.has(x.name)) : [];
      for (const x of found) if (await remove(`${region}/${collection}/${x.name}`, signal)) deleted.push(`${type}:${x.name}`);
    }
    // The health check once no target pool uses it.
    for (const uid of firewalls.flatMap((f) => HEALTH_FIREWALL.exec(f.name)?.[1] ?? [])) {
      if (await remove(`${compute}/global/httpHealthChecks/k8s-${uid}-node`, signal)) deleted.push(`http-health-check:k8s-${uid}-node`);
    }
    for (const f of firewalls) if (await remove(`${compute}/global/firewalls/${f.name}`, signal)) deleted.push(`firewall:${f.name}`);
    if (deleted.length) opts.log.info(`Swept ${deleted.length} load-balancer resources GKE left for cluster ${name}: ${deleted.join(", ")}`);
    return { deleted, unsupported: [] };
  }

  return {
    sweeps: [`forwarding rules, target pools, the HTTP health check and firewalls GKE made for the LoadBalancer Services of cluster ${name} (on its nodes' network tag)`],
    before: sweep,
    // A last pass for what the service controller finished meanwhile.
    after: sweep,
    kinds: (kinds) => kinds,
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
