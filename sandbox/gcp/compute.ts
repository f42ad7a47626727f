// Compute Engine v1, the little NIC and gcloud read: zones (with gcloud's server-side `filter`), and the forwarding
// rules and firewalls GKE's service controller makes for LoadBalancer Services (list, delete) for destroy's sweep.
import { REGIONS, T, type GcpContext } from "./context.ts";
import { notFound } from "./http.ts";

const COMPUTE = "https://www.googleapis.com/compute/v1";

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

const operation = (project: string, target: string) => ({ kind: "compute#operation", name: `operation-${Date.now()}`, status: "DONE", targetLink: `${COMPUTE}/projects/${project}/${target}`, progress: 100 });

export const forwardingRules = {
  list: (ctx: GcpContext, project: string, region: string) => ({
    kind: "compute#forwardingRuleList",
    items: [...ctx.world.table<any>(T.forwardingRule).values()].filter((r) => r.project === project && r.region === region)
      .map((r) => ({ kind: "compute#forwardingRule", name: r.name, description: r.description, IPAddress: r.IPAddress, IPProtocol: "TCP", loadBalancingScheme: "EXTERNAL", region: `${COMPUTE}/projects/${project}/regions/${region}`, target: `${COMPUTE}/projects/${project}/regions/${region}/targetPools/${r.name}` })),
  }),
  delete(ctx: GcpContext, project: string, region: string, name: string) {
    if (!ctx.world.table(T.forwardingRule).has(name)) throw notFound(`projects/${project}/regions/${region}/forwardingRules/${name}`);
    ctx.world.remove(T.forwardingRule, name);
    return operation(project, `regions/${region}/forwardingRules/${name}`);
  },
};

export const firewalls = {
  list: (ctx: GcpContext, project: string) => ({
    kind: "compute#firewallList",
    items: [...ctx.world.table<any>(T.firewall).values()].filter((f) => f.project === project)
      .map((f) => ({ kind: "compute#firewall", name: f.name, description: f.description, network: `${COMPUTE}/projects/${project}/global/networks/${f.network}`, direction: "INGRESS" })),
  }),
  delete(ctx: GcpContext, project: string, name: string) {
    if (!ctx.world.table(T.firewall).has(name)) throw notFound(`projects/${project}/global/firewalls/${name}`);
    ctx.world.remove(T.firewall, name);
    return operation(project, `global/firewalls/${name}`);
  },
};
