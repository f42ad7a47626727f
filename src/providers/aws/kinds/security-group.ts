// aws/security_group: the cluster security group (all traffic in from the VPC, all out).
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import { sameValue } from "../../../engine/compare.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, whileDependent } from "../errors.ts";
import { tagMap } from "../tags.ts";
import { allPages, findByIdOrName, tagSpecifications, updateEc2Tags } from "./ec2.ts";

interface Rule {
  protocol: string;
  from_port: number;
  to_port: number;
  cidr_blocks: string[];
  description: string | null;
}

const rulesOf = (permissions: EC2.IpPermission[] | undefined): Rule[] =>
  (permissions ?? []).map((p) => ({
    protocol: p.IpProtocol ?? "-1",
    from_port: p.FromPort ?? 0,
    to_port: p.ToPort ?? 0,
    cidr_blocks: (p.IpRanges ?? []).map((r) => r.CidrIp!).sort(),
    description: p.IpRanges?.[0]?.Description ?? null,
  }));

const permissionsOf = (rules: Rule[]): EC2.IpPermission[] =>
  rules.map((r) => ({
    IpProtocol: r.protocol,
    ...(r.protocol !== "-1" && { FromPort: r.from_port, ToPort: r.to_port }),
    IpRanges: r.cidr_blocks.map((CidrIp) => ({ CidrIp, ...(r.description && { Description: r.description }) })),
  }));

export function securityGroupKind(aws: AwsClients): ResourceKind {
  async function setRules(id: string, direction: "ingress" | "egress", before: Rule[], after: Rule[], signal: AbortSignal) {
    if (sameValue(before, after)) return;
    const { sdk, client } = await aws.ec2();
    const ingress = direction === "ingress";
    const revoke = { GroupId: id, IpPermissions: permissionsOf(before) };
    const authorize = { GroupId: id, IpPermissions: permissionsOf(after) };
    const options = { abortSignal: signal };
    if (before.length) await (ingress ? client.send(new sdk.RevokeSecurityGroupIngressCommand(revoke), options) : client.send(new sdk.RevokeSecurityGroupEgressCommand(revoke), options));
    if (after.length) await (ingress ? client.send(new sdk.AuthorizeSecurityGroupIngressCommand(authorize), options) : client.send(new sdk.AuthorizeSecurityGroupEgressCommand(authorize), options));
  }
  return {
    kind: "aws/security_group",
    createsOnce: true, // see engine/types.ts
    timeoutMs: 10 * 60_000,
    async observe(batch, { signal }) {
      const ec2 = await aws.ec2();
      const describe = (Filters: { Name: string; Values: string[] }[]) =>
        allPages((NextToken) => ec2.client.send(new ec2.sdk.DescribeSecurityGroupsCommand({ Filters, NextToken }), { abortSignal: signal }).then((r) => ({ items: r.SecurityGroups, next: r.NextToken })));
      const found = await findByIdOrName(batch, describe, (g) => g.GroupId, (g) => tagMap(g.Tags), "group-id");
      const out = new Map<string, Actual>();
      for (const [address, g] of found)
        out.set(address, {
          id: g.GroupId!,
          arn: g.SecurityGroupArn,
          attributes: { name: g.GroupName, description: g.Description, vpc_id: g.VpcId, ingress: rulesOf(g.IpPermissions), egress: rulesOf(g.IpPermissionsEgress), tags: tagMap(g.Tags) },
        });
      return out;
    },
    async create(resource, { signal }) {
      const ec2 = await aws.ec2();
      const a = resource.attributes;
      // AWS adds an allow-all egress rule to every new group; ours replaces it.
      let current: { id: string; ingress: Rule[]; egress: Rule[] };
      try {
        const { GroupId } = await ec2.client.send(
          new ec2.sdk.CreateSecurityGroupCommand({ GroupName: String(a.name), Description: String(a.description), VpcId: String(a.vpc_id), TagSpecifications: tagSpecifications("security-group", a.tags) }),
          { abortSignal: signal },
        );
        current = { id: GroupId!, ingress: [], egress: [{ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"], description: null }] };
      } catch (err) {
        // The engine's retry looks for a group the failed attempt made (createOnce); when EC2 does not list it yet
        // (its reads are eventually consistent), the name collision says it exists: continue from the group as it is.
        if (errorCode(err) !== "InvalidGroup.Duplicate") throw err;
        const filters = [{ Name: "group-name", Values: [String(a.name)] }, { Name: "vpc-id", Values: [String(a.vpc_id)] }];
        const { SecurityGroups } = await ec2.client.send(new ec2.sdk.DescribeSecurityGroupsCommand({ Filters: filters }), { abortSignal: signal });
        const g = SecurityGroups?.[0];
        if (!g?.GroupId) throw err;
        current = { id: g.GroupId, ingress: rulesOf(g.IpPermissions), egress: rulesOf(g.IpPermissionsEgress) };
      }
      await setRules(current.id, "egress", current.egress, a.egress as Rule[], signal);
      await setRules(current.id, "ingress", current.ingress, a.ingress as Rule[], signal);
      return { id: current.id, attributes: { ...a } };
    },
    async update(resource, actual, _changes, { signal }) {
      const a = resource.attributes;
      await setRules(actual.id, "ingress", actual.attributes.ingress as Rule[], a.ingress as Rule[], signal);
      await setRules(actual.id, "egress", actual.attributes.egress as Rule[], a.egress as Rule[], signal);
      await updateEc2Tags(await aws.ec2(), actual.id, actual.attributes.tags, a.tags, signal);
      return { ...actual, attributes: { ...actual.attributes, ingress: a.ingress, egress: a.egress, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const ec2 = await aws.ec2();
      await ignoreNotFound(() => whileDependent(() => ec2.client.send(new ec2.sdk.DeleteSecurityGroupCommand({ GroupId: actual.id }), { abortSignal: signal }), signal));
    },
  };
}
