// Elastic Load Balancing v2 (query protocol, Version=2015-12-01): application/network load balancers and
// target groups, as the AWS Load Balancer Controller leaves them. The sandbox never creates these itself;
// they come from /seed, and NIC's destroy sweep finds and deletes them.
import { AwsError } from "../protocols/errors.ts";
import { list, page } from "../protocols/query.ts";
import type { Resource, World } from "../world.ts";
import { queryService, tagList } from "./service.ts";

export interface LoadBalancerV2 extends Resource {
  arn: string;
  dnsName: string;
  vpcId: string;
  lbType: string;
  targetGroupArns?: string[];
}
export interface TargetGroup extends Resource {
  arn: string;
  vpcId: string;
}

const LB = "elbv2:load-balancer";
const TG = "elbv2:target-group";

const byArn = <T extends Resource & { arn: string }>(world: World, type: string, arn: string) => [...world.table<T>(type).values()].find((r) => r.arn === arn);

function pick<T extends Resource & { arn: string }>(world: World, type: string, arns: string[], notFound: string): T[] {
  if (!arns.length) return [...world.table<T>(type).values()];
  return arns.map((arn) => {
    const r = byArn<T>(world, type, arn);
    if (!r) throw new AwsError(notFound, `One or more resources not found: '${arn}'`);
    return r;
  });
}

export const elbv2Module = queryService({
  signingName: "elasticloadbalancing",
  envName: "ELASTIC_LOAD_BALANCING_V2",
  xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
  actions: {
    DescribeLoadBalancers(p, world) {
      const { items, next } = page(pick<LoadBalancerV2>(world, LB, list(p.LoadBalancerArns), "LoadBalancerNotFound"), p.PageSize, p.Marker);
      return {
        LoadBalancers: items.map((lb) => ({ LoadBalancerArn: lb.arn, LoadBalancerName: lb.name, DNSName: lb.dnsName, VpcId: lb.vpcId, Type: lb.lbType, Scheme: "internet-facing", State: { Code: "active" } })),
        NextMarker: next,
      };
    },
    DescribeTargetGroups(p, world) {
      const { items, next } = page(pick<TargetGroup>(world, TG, list(p.TargetGroupArns), "TargetGroupNotFound"), p.PageSize, p.Marker);
      return { TargetGroups: items.map((g) => ({ TargetGroupArn: g.arn, TargetGroupName: g.name, VpcId: g.vpcId, LoadBalancerArns: [] })), NextMarker: next };
    },
    DescribeTags(p, world) {
      const arns = list<string>(p.ResourceArns);
      return {
        TagDescriptions: arns.map((arn) => {
          const r = byArn(world, LB, arn) ?? byArn(world, TG, arn);
          if (!r) throw new AwsError("LoadBalancerNotFound", `One or more resources not found: '${arn}'`);
          return { ResourceArn: arn, Tags: tagList(r.tags) };
        }),
      };
    },
    DeleteLoadBalancer(p, world) {
      const lb = byArn<LoadBalancerV2>(world, LB, p.LoadBalancerArn);
      if (lb) world.remove(LB, lb.id);
      return {};
    },
    DeleteTargetGroup(p, world) {
      const tg = byArn<TargetGroup>(world, TG, p.TargetGroupArn);
      if (!tg) throw new AwsError("TargetGroupNotFound", `Target group '${p.TargetGroupArn}' not found`);
      const users = [...world.table<LoadBalancerV2>(LB).values()].filter((lb) => lb.targetGroupArns?.includes(tg.arn));
      if (users.length) throw new AwsError("ResourceInUse", `Target group '${tg.arn}' is currently in use by a listener or a rule`);
      world.remove(TG, tg.id);
      return {};
    },
  },
});
