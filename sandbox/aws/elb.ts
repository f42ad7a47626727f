// Classic Elastic Load Balancing (query protocol, Version=2012-06-01): the load balancers Kubernetes
// Services of type LoadBalancer get on EKS, each with its own security group and an ENI per subnet.
import { AwsError } from "../protocols/errors.ts";
import { list } from "../protocols/query.ts";
import type { Resource, World } from "../world.ts";
import { createInterface, releaseInterfaces } from "./ec2/interfaces.ts";
import { createSecurityGroup } from "./ec2/security-groups.ts";
import type { Subnet } from "./ec2/vpc.ts";
import { elbv2Module } from "./elbv2.ts";
import { formParams, queryService, tagList, tagMap, type AwsService } from "./service.ts";

export interface LoadBalancer extends Resource {
  dnsName: string;
  scheme: string;
  subnetIds: string[];
  securityGroupIds: string[];
  vpcId: string;
  listeners: { Protocol: string; LoadBalancerPort: number; InstanceProtocol: string; InstancePort: number }[];
  createdTime: string;
}

const TYPE = "elb:load-balancer";

function loadBalancer(world: World, name: string): LoadBalancer {
  const lb = world.table<LoadBalancer>(TYPE).get(name);
  if (!lb) throw new AwsError("LoadBalancerNotFound", `There is no ACTIVE Load Balancer named '${name}'`);
  return lb;
}

export function createLoadBalancer(world: World, opts: { name: string; subnetIds: string[]; securityGroupIds: string[]; tags: Record<string, string>; listeners?: LoadBalancer["listeners"]; scheme?: string }): LoadBalancer {
  if (world.table(TYPE).has(opts.name)) throw new AwsError("DuplicateLoadBalancerName", `Load balancer ${opts.name} already exists`);
  const subnets = opts.subnetIds.map((id) => {
    const s = world.table<Subnet>("ec2:subnet").get(id);
    if (!s) throw new AwsError("InvalidSubnet", `The subnet ID '${id}' does not exist`);
    return s;
  });
  const lb = world.put<LoadBalancer>({
    type: TYPE,
    id: opts.name,
    name: opts.name,
    tags: opts.tags,
    dnsName: `${opts.name}-${String(Math.random()).slice(2, 12)}.${world.region}.elb.amazonaws.com`,
    scheme: opts.scheme ?? "internet-facing",
    subnetIds: opts.subnetIds,
    securityGroupIds: opts.securityGroupIds,
    vpcId: subnets[0]?.vpcId ?? "",
    listeners: opts.listeners ?? [],
    createdTime: new Date().toISOString(),
  });
  for (const s of subnets) createInterface(world, { subnetId: s.id, groupIds: opts.securityGroupIds, description: `ELB ${opts.name}`, owner: `elb:${opts.name}`, requesterId: "amazon-elb" });
  return lb;
}

export function deleteLoadBalancer(world: World, name: string): void {
  releaseInterfaces(world, `elb:${name}`, 0);
  world.remove(TYPE, name);
}

/**
 * What EKS's cloud controller does for a Service of type LoadBalancer: a classic ELB in the cluster's
 * subnets with a `k8s-elb-<name>` security group, both tagged kubernetes.io/cluster/<cluster>=owned.
 * Returns the hostname for the Service's status.
 */
export function serviceLoadBalancer(world: World, cluster: { id: string; vpcId: string; subnetIds: string[] }, service: { namespace: string; name: string; action: "created" | "deleted" }): string | undefined {
  const name = `a${new Bun.CryptoHasher("md5").update(`${cluster.id}/${service.namespace}/${service.name}`).digest("hex").slice(0, 31)}`;
  const existing = world.table<LoadBalancer>(TYPE).get(name);
  if (service.action === "deleted") {
    if (!existing) return undefined;
    deleteLoadBalancer(world, name);
    for (const sg of existing.securityGroupIds) world.remove("ec2:security-group", sg);
    return undefined;
  }
  if (existing) return existing.dnsName;
  const owned = { [`kubernetes.io/cluster/${cluster.id}`]: "owned" };
  const sg = createSecurityGroup(world, { vpcId: cluster.vpcId, groupName: `k8s-elb-${name}`, description: `Security group for Kubernetes ELB ${name} (${service.namespace}/${service.name})`, tags: { ...owned } });
  const lb = createLoadBalancer(world, {
    name,
    subnetIds: cluster.subnetIds,
    securityGroupIds: [sg.id],
    tags: { ...owned, "kubernetes.io/service-name": `${service.namespace}/${service.name}` },
    listeners: [{ Protocol: "TCP", LoadBalancerPort: 80, InstanceProtocol: "TCP", InstancePort: 30080 }],
  });
  return lb.dnsName;
}

const render = (lb: LoadBalancer, world: World) => {
  const subnets = world.table<Subnet>("ec2:subnet");
  return {
    LoadBalancerName: lb.id,
    DNSName: lb.dnsName,
    CanonicalHostedZoneName: lb.dnsName,
    CanonicalHostedZoneNameID: "Z1H1FL5HABSF5",
    ListenerDescriptions: lb.listeners.map((Listener) => ({ Listener, PolicyNames: [] })),
    Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
    BackendServerDescriptions: [],
    AvailabilityZones: lb.subnetIds.map((id) => subnets.get(id)?.availabilityZone ?? `${world.region}a`),
    Subnets: lb.subnetIds,
    VPCId: lb.vpcId,
    Instances: [],
    HealthCheck: { Target: "TCP:30080", Interval: 10, Timeout: 5, UnhealthyThreshold: 6, HealthyThreshold: 2 },
    SourceSecurityGroup: { OwnerAlias: world.account, GroupName: lb.securityGroupIds[0] ?? "" },
    SecurityGroups: lb.securityGroupIds,
    CreatedTime: lb.createdTime,
    Scheme: lb.scheme,
  };
};

const classic = queryService({
  signingName: "elasticloadbalancing",
  envName: "ELASTIC_LOAD_BALANCING",
  xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/",
  actions: {
    CreateLoadBalancer(p, world) {
      const lb = createLoadBalancer(world, {
        name: p.LoadBalancerName,
        subnetIds: list<string>(p.Subnets),
        securityGroupIds: list<string>(p.SecurityGroups),
        tags: tagMap(list<any>(p.Tags)),
        scheme: p.Scheme,
        listeners: list<any>(p.Listeners).map((l) => ({ Protocol: l.Protocol, LoadBalancerPort: Number(l.LoadBalancerPort), InstanceProtocol: l.InstanceProtocol ?? l.Protocol, InstancePort: Number(l.InstancePort) })),
      });
      return { DNSName: lb.dnsName };
    },
    DescribeLoadBalancers(p, world) {
      const names = list<string>(p.LoadBalancerNames);
      const all = names.length ? names.map((n) => loadBalancer(world, n)) : [...world.table<LoadBalancer>(TYPE).values()];
      return { LoadBalancerDescriptions: all.map((lb) => render(lb, world)) };
    },
    DeleteLoadBalancer(p, world) {
      if (world.table(TYPE).has(p.LoadBalancerName)) deleteLoadBalancer(world, p.LoadBalancerName);
      return {};
    },
    DescribeTags: (p, world) => ({
      TagDescriptions: list<string>(p.LoadBalancerNames).map((n) => ({ LoadBalancerName: n, Tags: tagList(loadBalancer(world, n).tags) })),
    }),
    AddTags(p, world) {
      for (const n of list<string>(p.LoadBalancerNames)) Object.assign(loadBalancer(world, n).tags, tagMap(list<any>(p.Tags)));
      world.changed();
      return {};
    },
    RemoveTags(p, world) {
      for (const n of list<string>(p.LoadBalancerNames)) {
        const lb = loadBalancer(world, n);
        for (const t of list<any>(p.Tags)) delete lb.tags[t.Key];
      }
      world.changed();
      return {};
    },
  },
});


/** Classic ELB and ELBv2 share the signing name "elasticloadbalancing"; the API Version tells them apart. */
export const elbModule: AwsService = {
  ...classic,
  moreEnvNames: [elbv2Module.envName],
  resolve: (req) => (formParams(req).get("Version") === "2015-12-01" ? elbv2Module : classic).resolve(req),
};
