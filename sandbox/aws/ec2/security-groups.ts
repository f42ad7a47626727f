// Security groups and their rules, with the default allow-all egress rule AWS adds on create.
import { AwsError } from "../../protocols/errors.ts";
import { list } from "../../protocols/query.ts";
import { awsId, type Resource, type Tags, type World } from "../../world.ts";
import type { QueryHandler } from "../service.ts";
import { dependency, describe, mustGet, specTags, tagSet } from "./common.ts";
import type { NetworkInterface } from "./interfaces.ts";

export interface Permission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  groups: { groupId: string; userId: string; description?: string }[];
  ipRanges: { cidrIp: string; description?: string }[];
  ipv6Ranges: { cidrIpv6: string; description?: string }[];
  prefixListIds: { prefixListId: string; description?: string }[];
}
export interface SecurityGroup extends Resource {
  groupName: string;
  description: string;
  vpcId: string;
  ingress: Permission[];
  egress: Permission[];
}

const TYPE = "ec2:security-group";
const allowAllEgress = (): Permission => ({ ipProtocol: "-1", groups: [], ipRanges: [{ cidrIp: "0.0.0.0/0" }], ipv6Ranges: [], prefixListIds: [] });

export function createSecurityGroup(world: World, opts: { vpcId: string; groupName: string; description: string; tags: Tags }): SecurityGroup {
  const taken = [...world.table<SecurityGroup>(TYPE).values()].some((g) => g.vpcId === opts.vpcId && g.groupName === opts.groupName);
  if (taken) throw new AwsError("InvalidGroup.Duplicate", `The security group '${opts.groupName}' already exists for VPC '${opts.vpcId}'`);
  return world.put<SecurityGroup>({ type: TYPE, id: awsId("sg"), name: opts.groupName, ...opts, ingress: [], egress: [allowAllEgress()] });
}

export function createDefaultSecurityGroup(world: World, vpcId: string): SecurityGroup {
  const sg = createSecurityGroup(world, { vpcId, groupName: "default", description: "default VPC security group", tags: {} });
  sg.ingress.push({ ipProtocol: "-1", groups: [{ groupId: sg.id, userId: world.account }], ipRanges: [], ipv6Ranges: [], prefixListIds: [] });
  return sg;
}

function parsePermissions(raw: unknown, world: World): Permission[] {
  return list<any>(raw).map((p) => {
    const protocol = p.IpProtocol === "all" ? "-1" : String(p.IpProtocol);
    const ports = protocol === "-1" ? {} : { fromPort: Number(p.FromPort), toPort: Number(p.ToPort) };
    const described = <T>(o: T, d?: string) => (d ? { ...o, description: d } : o);
    return {
      ipProtocol: protocol,
      ...ports,
      groups: list<any>(p.Groups ?? p.UserIdGroupPairs).map((g) => described({ groupId: g.GroupId as string, userId: (g.UserId ?? world.account) as string }, g.Description)),
      ipRanges: list<any>(p.IpRanges).map((r) => described({ cidrIp: r.CidrIp as string }, r.Description)),
      ipv6Ranges: list<any>(p.Ipv6Ranges).map((r) => described({ cidrIpv6: r.CidrIpv6 as string }, r.Description)),
      prefixListIds: list<any>(p.PrefixListIds).map((r) => described({ prefixListId: r.PrefixListId as string }, r.Description)),
    };
  });
}

const sameKey = (a: Permission, b: Permission) => a.ipProtocol === b.ipProtocol && a.fromPort === b.fromPort && a.toPort === b.toPort;
const SOURCES = ["groups", "ipRanges", "ipv6Ranges", "prefixListIds"] as const;
const sourceId = (s: Record<string, string | undefined>) => s.groupId ?? s.cidrIp ?? s.cidrIpv6 ?? s.prefixListId;

function authorize(rules: Permission[], added: Permission[]): void {
  for (const perm of added) {
    let target = rules.find((r) => sameKey(r, perm));
    if (!target) rules.push((target = { ...perm, groups: [], ipRanges: [], ipv6Ranges: [], prefixListIds: [] }));
    for (const kind of SOURCES) {
      for (const source of perm[kind] as Record<string, string>[]) {
        if ((target[kind] as Record<string, string>[]).some((s) => sourceId(s) === sourceId(source)))
          throw new AwsError("InvalidPermission.Duplicate", `the specified rule "peer: ${sourceId(source)}, ${perm.ipProtocol}" already exists`);
        (target[kind] as Record<string, string>[]).push(source);
      }
    }
  }
}

/** Remove rules; like AWS, rules that do not exist are reported back instead of failing the call. */
function revoke(rules: Permission[], removed: Permission[]): { rules: Permission[]; unknown: Permission[] } {
  const unknown: Permission[] = [];
  for (const perm of removed) {
    const target = rules.find((r) => sameKey(r, perm));
    if (!target) {
      unknown.push(perm);
      continue;
    }
    for (const kind of SOURCES) {
      const ids = new Set((perm[kind] as Record<string, string>[]).map(sourceId));
      (target as any)[kind] = (target[kind] as Record<string, string>[]).filter((s) => !ids.has(sourceId(s)));
    }
  }
  return { rules: rules.filter((r) => SOURCES.some((k) => r[k].length)), unknown };
}

const render = (g: SecurityGroup, world: World) => ({
  groupId: g.id,
  groupName: g.groupName,
  groupDescription: g.description,
  vpcId: g.vpcId,
  ownerId: world.account,
  securityGroupArn: `arn:aws:ec2:${world.region}:${world.account}:security-group/${g.id}`,
  ipPermissions: g.ingress,
  ipPermissionsEgress: g.egress,
  tagSet: tagSet(g.tags),
});

function find(world: World, p: Record<string, any>): SecurityGroup {
  if (p.GroupId) return mustGet<SecurityGroup>(world, TYPE, p.GroupId, "InvalidGroup.NotFound", "security group");
  const g = [...world.table<SecurityGroup>(TYPE).values()].find((s) => s.groupName === p.GroupName);
  if (!g) throw new AwsError("InvalidGroup.NotFound", `The security group '${p.GroupName}' does not exist`);
  return g;
}

export const securityGroupActions: Record<string, QueryHandler> = {
  CreateSecurityGroup(p, world) {
    mustGet(world, "ec2:vpc", p.VpcId, "InvalidVpcID.NotFound", "vpc");
    const sg = createSecurityGroup(world, { vpcId: p.VpcId, groupName: p.GroupName, description: p.GroupDescription ?? "", tags: specTags(p, "security-group") });
    return { groupId: sg.id, securityGroupArn: render(sg, world).securityGroupArn, tagSet: tagSet(sg.tags) };
  },
  DescribeSecurityGroups(p, world) {
    const { items, next } = describe<SecurityGroup>(world, TYPE, p, "GroupId", "InvalidGroup.NotFound", "security group", (g) => ({
      "group-id": g.id,
      "group-name": g.groupName,
      "vpc-id": g.vpcId,
      description: g.description,
      "owner-id": world.account,
      "ip-permission.cidr": g.ingress.flatMap((r) => r.ipRanges.map((x) => x.cidrIp)),
      "egress.ip-permission.cidr": g.egress.flatMap((r) => r.ipRanges.map((x) => x.cidrIp)),
      "ip-permission.group-id": g.ingress.flatMap((r) => r.groups.map((x) => x.groupId)),
      "egress.ip-permission.group-id": g.egress.flatMap((r) => r.groups.map((x) => x.groupId)),
      "ip-permission.protocol": g.ingress.map((r) => r.ipProtocol),
    }));
    const names = list<string>(p.GroupName);
    const byName = names.length ? items.filter((g) => names.includes(g.groupName)) : items;
    if (names.length && !byName.length) throw new AwsError("InvalidGroup.NotFound", `The security group '${names.join("', '")}' does not exist`);
    return { securityGroupInfo: byName.map((g) => render(g, world)), nextToken: next };
  },
  AuthorizeSecurityGroupIngress(p, world) {
    const sg = find(world, p);
    authorize(sg.ingress, parsePermissions(p.IpPermissions, world));
    world.changed();
    return { return: true };
  },
  AuthorizeSecurityGroupEgress(p, world) {
    const sg = find(world, p);
    authorize(sg.egress, parsePermissions(p.IpPermissions, world));
    world.changed();
    return { return: true };
  },
  RevokeSecurityGroupIngress(p, world) {
    const sg = find(world, p);
    const { rules, unknown } = revoke(sg.ingress, parsePermissions(p.IpPermissions, world));
    sg.ingress = rules;
    world.changed();
    return { return: true, unknownIpPermissionSet: unknown.length ? unknown : undefined };
  },
  RevokeSecurityGroupEgress(p, world) {
    const sg = find(world, p);
    const { rules, unknown } = revoke(sg.egress, parsePermissions(p.IpPermissions, world));
    sg.egress = rules;
    world.changed();
    return { return: true, unknownIpPermissionSet: unknown.length ? unknown : undefined };
  },
  DeleteSecurityGroup(p, world) {
    const sg = find(world, p);
    if (sg.groupName === "default") throw new AwsError("CannotDelete", `the specified group: "${sg.id}" name: "default" cannot be deleted by a user`);
    const usedByInterface = [...world.table<NetworkInterface>("ec2:network-interface").values()].some((n) => n.groupIds.includes(sg.id));
    const referenced = [...world.table<SecurityGroup>(TYPE).values()].some(
      (g) => g.id !== sg.id && [...g.ingress, ...g.egress].some((r) => r.groups.some((x) => x.groupId === sg.id)),
    );
    if (usedByInterface || referenced) throw dependency(`resource ${sg.id} has a dependent object`);
    world.remove(TYPE, sg.id);
    return { return: true };
  },
};
