// aws/subnet: one public subnet per availability zone.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { ignoreNotFound, whileDependent } from "../errors.ts";
import { tagMap } from "../tags.ts";
import { allPages, findByIdOrName, tagSpecifications, updateEc2Tags } from "./ec2.ts";

export function subnetKind(aws: AwsClients): ResourceKind {
  const setPublicIp = async (id: string, value: boolean, signal: AbortSignal) => {
    const ec2 = await aws.ec2();
    await ec2.client.send(new ec2.sdk.ModifySubnetAttributeCommand({ SubnetId: id, MapPublicIpOnLaunch: { Value: value } }), { abortSignal: signal });
  };
  return {
    kind: "aws/subnet",
    timeoutMs: 10 * 60_000,
    async observe(batch, { signal }) {
      const ec2 = await aws.ec2();
      const describe = (Filters: { Name: string; Values: string[] }[]) =>
        allPages((NextToken) => ec2.client.send(new ec2.sdk.DescribeSubnetsCommand({ Filters, NextToken }), { abortSignal: signal }).then((r) => ({ items: r.Subnets, next: r.NextToken })));
      const found = await findByIdOrName(batch, describe, (s) => s.SubnetId, (s) => tagMap(s.Tags), "subnet-id");
      const out = new Map<string, Actual>();
      for (const [address, s] of found)
        out.set(address, {
          id: s.SubnetId!,
          arn: s.SubnetArn,
          attributes: { vpc_id: s.VpcId, cidr_block: s.CidrBlock, availability_zone: s.AvailabilityZone, map_public_ip_on_launch: s.MapPublicIpOnLaunch ?? false, tags: tagMap(s.Tags) },
        });
      return out;
    },
    async create(resource, { signal }) {
      const ec2 = await aws.ec2();
      const a = resource.attributes;
      const { Subnet } = await ec2.client.send(
        new ec2.sdk.CreateSubnetCommand({ VpcId: String(a.vpc_id), CidrBlock: String(a.cidr_block), AvailabilityZone: String(a.availability_zone), TagSpecifications: tagSpecifications("subnet", a.tags) }),
        { abortSignal: signal },
      );
      if (a.map_public_ip_on_launch) await setPublicIp(Subnet!.SubnetId!, true, signal);
      return { id: Subnet!.SubnetId!, arn: Subnet!.SubnetArn, attributes: { ...a } };
    },
    async update(resource, actual, _changes, { signal }) {
      const a = resource.attributes;
      if (a.map_public_ip_on_launch !== actual.attributes.map_public_ip_on_launch) await setPublicIp(actual.id, Boolean(a.map_public_ip_on_launch), signal);
      await updateEc2Tags(await aws.ec2(), actual.id, actual.attributes.tags, a.tags, signal);
      return { ...actual, attributes: { ...actual.attributes, map_public_ip_on_launch: a.map_public_ip_on_launch, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const ec2 = await aws.ec2();
      await ignoreNotFound(() => whileDependent(() => ec2.client.send(new ec2.sdk.DeleteSubnetCommand({ SubnetId: actual.id }), { abortSignal: signal }), signal));
    },
  };
}
