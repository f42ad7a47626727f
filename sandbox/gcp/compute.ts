// Compute Engine v1, the little NIC and gcloud read: zones (with gcloud's server-side `filter`), and what GKE's service
// controller makes for a LoadBalancer Service (forwarding rule → target pool → health check, firewalls on the nodes' tag), listed and
// deleted for destroy's sweep. Deletes answer a RUNNING operation that is DONE when read back; errors have Compute's
// older envelope (code, message, errors[].reason, no canonical status).
import { REGIONS, T, type GcpContext } from "./context.ts";
import { ComputeError } from "./http.ts";
import { hex } from "../world.ts";

const COMPUTE = "https://www.googleapis.com/compute/v1";

/** Compute's "The resource … was not found" (reason notFound). */
const notFound = (what: string) => new ComputeError(404, "notFound", `The resource '${what}' was not found`);

/**
 * `region eq ".*\bus\-central1\b.*"` (gcloud: a regular expression the whole region URL must match) or
 * `region = us-central1` → a test on the region's URL; no filter → every region.
 */
function regionFilter(filter: string | null): (regionUrl: string) => boolean {
  const m = filter && /region\s*(eq|=)\s*"?([^"]+)"?/.exec(filter);
  if (!m) return () => true;
  const value = m[2]!.trim();
  if (m[1] === "eq") {
    const re = new RegExp(`^(?:${value})$`);
    return (url) => re.test(url);
  }
  return (url) => url.endsWith(`/regions/${value}`) || url === value;
}

export function listZones(project: string, url: URL) {
  const matches = regionFilter(url.searchParams.get("filter"));
  const items = REGIONS.filter((r) => matches(`${COMPUTE}/projects/${project}/regions/${r}`)).flatMap((r) =>
    ["a", "b", "c"].map((z, i) => ({
      kind: "compute#zone", id: String(2000 + REGIONS.indexOf(r) * 10 + i), name: `${r}-${z}`, status: "UP",
      region: `${COMPUTE}/projects/${project}/regions/${r}`, selfLink: `${COMPUTE}/projects/${project}/zones/${r}-${z}`,
    })),
  );
  return { kind: "compute#zoneList", id: `projects/${project}/zones`, items, selfLink: `${COMPUTE}/projects/${project}/zones` };
}

/** A delete's operation: RUNNING as answered, DONE when read back (the change itself is immediate). */
function operation(project: string, scope: string, target: string) {
  const name = `operation-${Date.now()}-${hex(12)}`;
  return { kind: "compute#operation", name, operationType: "delete", status: "RUNNING", progress: 0, targetLink: `${COMPUTE}/projects/${project}/${scope}/${target}`, selfLink: `${COMPUTE}/projects/${project}/${scope}/operations/${name}` };
}

export function getComputeOperation(project: string, scope: string, name: string) {
  return { kind: "compute#operation", name, status: "DONE", progress: 100, selfLink: `${COMPUTE}/projects/${project}/${scope}/operations/${name}` };
}

const regional = (ctx: GcpContext, type: string, project: string, region: string) =>
  [...ctx.world.table<any>(type).values()].filter((r) => r.project === project && r.region === region);

export const forwardingRules = {
  list: (ctx: GcpContext, project: string, region: string) => ({
    kind: "compute#forwardingRuleList",
    items: regional(ctx, T.forwardingRule, project, region).map((r) => ({
      kind: "compute#forwardingRule", name: r.name, description: r.description, IPAddress: r.IPAddress, IPProtocol: "TCP", loadBalancingScheme: "EXTERNAL",
      region: `${COMPUTE}/projects/${project}/regions/${region}`, target: `${COMPUTE}/projects/${project}/regions/${region}/targetPools/${r.name}`,
      selfLink: `${COMPUTE}/projects/${project}/regions/${region}/forwardingRules/${r.name}`,
    })),
  }),
  delete(ctx: GcpContext, project: string, region: string, name: string) {
    if (!regional(ctx, T.forwardingRule, project, region).some((r) => r.name === name)) throw notFound(`projects/${project}/regions/${region}/forwardingRules/${name}`);
    ctx.world.remove(T.forwardingRule, name);
    return operation(project, `regions/${region}`, `forwardingRules/${name}`);
  },
};

export const targetPools = {
  list: (ctx: GcpContext, project: string, region: string) => ({
    kind: "compute#targetPoolList",
    items: regional(ctx, T.targetPool, project, region).map((p) => ({
      kind: "compute#targetPool", name: p.name, description: p.description, instances: p.instances, sessionAffinity: "NONE",
      healthChecks: (p.healthChecks ?? []).map((h: string) => `${COMPUTE}/projects/${project}/global/httpHealthChecks/${h}`),
      region: `${COMPUTE}/projects/${project}/regions/${region}`, selfLink: `${COMPUTE}/projects/${project}/regions/${region}/targetPools/${p.name}`,
    })),
  }),
  delete(ctx: GcpContext, project: string, region: string, name: string) {
    if (!regional(ctx, T.targetPool, project, region).some((p) => p.name === name)) throw notFound(`projects/${project}/regions/${region}/targetPools/${name}`);
    // A forwarding rule pointing at the pool holds it, as on GCP.
    const user = regional(ctx, T.forwardingRule, project, region).find((r) => r.name === name);
    if (user) throw new ComputeError(400, "resourceInUseByAnotherResource", `The target_pool resource 'projects/${project}/regions/${region}/targetPools/${name}' is already being used by 'projects/${project}/regions/${region}/forwardingRules/${user.name}'`);
    ctx.world.remove(T.targetPool, name);
    return operation(project, `regions/${region}`, `targetPools/${name}`);
  },
};

/** Legacy HTTP health checks (global): GKE's `k8s-<16 hex>-node`, which every target pool of the cluster uses. */
export const httpHealthChecks = {
  list: (ctx: GcpContext, project: string) => ({
    kind: "compute#httpHealthCheckList",
    items: [...ctx.world.table<any>(T.httpHealthCheck).values()].filter((h) => h.project === project).map((h) => ({
      kind: "compute#httpHealthCheck", name: h.name, description: h.description, port: 10256, requestPath: "/healthz", selfLink: `${COMPUTE}/projects/${project}/global/httpHealthChecks/${h.name}`,
    })),
  }),
  delete(ctx: GcpContext, project: string, name: string) {
    const h = ctx.world.table<any>(T.httpHealthCheck).get(name);
    if (!h || h.project !== project) throw notFound(`projects/${project}/global/httpHealthChecks/${name}`);
    const user = [...ctx.world.table<any>(T.targetPool).values()].find((p) => p.project === project && (p.healthChecks ?? []).includes(name));
    if (user) throw new ComputeError(400, "resourceInUseByAnotherResource", `The http_health_check resource 'projects/${project}/global/httpHealthChecks/${name}' is already being used by 'projects/${project}/regions/${user.region}/targetPools/${user.name}'`);
    ctx.world.remove(T.httpHealthCheck, name);
    return operation(project, "global", `httpHealthChecks/${name}`);
  },
};

export const firewalls = {
  list: (ctx: GcpContext, project: string) => ({
    kind: "compute#firewallList",
    items: [...ctx.world.table<any>(T.firewall).values()].filter((f) => f.project === project).map((f) => ({
      kind: "compute#firewall", name: f.name, description: f.description, network: `${COMPUTE}/projects/${project}/global/networks/${f.network}`, direction: "INGRESS",
      sourceRanges: f.sourceRanges ?? ["0.0.0.0/0"], targetTags: f.targetTags ?? [], allowed: [{ IPProtocol: "tcp", ports: f.ports ?? ["80"] }],
      selfLink: `${COMPUTE}/projects/${project}/global/firewalls/${f.name}`,
    })),
  }),
  delete(ctx: GcpContext, project: string, name: string) {
    const f = ctx.world.table<any>(T.firewall).get(name);
    if (!f || f.project !== project) throw notFound(`projects/${project}/global/firewalls/${name}`);
    ctx.world.remove(T.firewall, name);
    return operation(project, "global", `firewalls/${name}`);
  },
};
