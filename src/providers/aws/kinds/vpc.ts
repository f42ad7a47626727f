// aws/vpc: the cluster VPC with DNS support and hostnames.
import type { Actual, Change, Resource, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients, Ec2 } from "../clients.ts";
import { whileDependent, ignoreNotFound } from "../errors.ts";
import { tagMap } from "../tags.ts";
import { allPages, findByIdOrName, tagSpecifications, updateEc2Tags } from "./ec2.ts";

export function vpcKind(aws: AwsClients): ResourceKind {
  async function dns(ec2: Ec2, vpcId: string, signal: AbortSignal) {
    const read = (Attribute: "enableDnsSupport" | "enableDnsHostnames") =>
      ec2.client.send(new ec2.sdk.DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }), { abortSignal: signal });
    const [support, hostnames] = await Promise.all([read("enableDnsSupport"), read("enableDnsHostnames")]);
    return { enable_dns_support: support.EnableDnsSupport?.Value ?? true, enable_dns_hostnames: hostnames.EnableDnsHostnames?.Value ?? false };
  }
  async function setDns(ec2: Ec2, vpcId: string, attributes: Resource["attributes"], signal: AbortSignal, before?: Resource["attributes"]) {
    const defaults = before ?? { enable_dns_support: true, enable_dns_hostnames: false };
    // One attribute per call, as the API requires.
    if (attributes.enable_dns_support !== defaults.enable_dns_support)
      await ec2.client.send(new ec2.sdk.ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: Boolean(attributes.enable_dns_support) } }), { abortSignal: signal });
    if (attributes.enable_dns_hostnames !== defaults.enable_dns_hostnames)
      await ec2.client.send(new ec2.sdk.ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: Boolean(attributes.enable_dns_hostnames) } }), { abortSignal: signal });
  }
  return {
    kind: "aws/vpc",
    timeoutMs: 10 * 60_000,
    async observe(batch, { signal }) {
      const ec2 = await aws.ec2();
      const describe = (Filters: { Name: string; Values: string[] }[]) =>
        allPages((NextToken) => ec2.client.send(new ec2.sdk.DescribeVpcsCommand({ Filters, NextToken }), { abortSignal: signal }).then((r) => ({ items: r.Vpcs, next: r.NextToken })));
      const found = await findByIdOrName(batch, describe, (v) => v.VpcId, (v) => tagMap(v.Tags), "vpc-id");
      const out = new Map<string, Actual>();
      await Promise.all(
        [...found].map(async ([address, v]) => {
          out.set(address, { id: v.VpcId!, attributes: { cidr_block: v.CidrBlock, ...(await dns(ec2, v.VpcId!, signal)), tags: tagMap(v.Tags) } });
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const ec2 = await aws.ec2();
      const a = resource.attributes;
      const { Vpc } = await ec2.client.send(new ec2.sdk.CreateVpcCommand({ CidrBlock: String(a.cidr_block), TagSpecifications: tagSpecifications("vpc", a.tags) }), { abortSignal: signal });
      await setDns(ec2, Vpc!.VpcId!, a, signal);
      return { id: Vpc!.VpcId!, attributes: { ...a } };
    },
    async update(resource, actual, _changes: Change[], { signal }) {
      const ec2 = await aws.ec2();
      await setDns(ec2, actual.id, resource.attributes, signal, actual.attributes);
      await updateEc2Tags(ec2, actual.id, actual.attributes.tags, resource.attributes.tags, signal);
      return { id: actual.id, attributes: { ...resource.attributes } };
    },
    async delete(actual, { signal }) {
      const ec2 = await aws.ec2();
      await ignoreNotFound(() => whileDependent(() => ec2.client.send(new ec2.sdk.DeleteVpcCommand({ VpcId: actual.id }), { abortSignal: signal }), signal));
    },
  };
}
