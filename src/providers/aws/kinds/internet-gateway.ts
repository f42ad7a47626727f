// aws/internet_gateway: attached to the cluster VPC.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, whileDependent } from "../errors.ts";
import { tagMap } from "../tags.ts";
import { allPages, findByIdOrName, tagSpecifications, updateEc2Tags } from "./ec2.ts";

export function internetGatewayKind(aws: AwsClients): ResourceKind {
  return {
    kind: "aws/internet_gateway",
    timeoutMs: 10 * 60_000,
    async observe(batch, { signal }) {
      const ec2 = await aws.ec2();
      const describe = (Filters: { Name: string; Values: string[] }[]) =>
        allPages((NextToken) => ec2.client.send(new ec2.sdk.DescribeInternetGatewaysCommand({ Filters, NextToken }), { abortSignal: signal }).then((r) => ({ items: r.InternetGateways, next: r.NextToken })));
      const found = await findByIdOrName(batch, describe, (g) => g.InternetGatewayId, (g) => tagMap(g.Tags), "internet-gateway-id");
      const out = new Map<string, Actual>();
      for (const [address, g] of found)
        out.set(address, { id: g.InternetGatewayId!, attributes: { vpc_id: g.Attachments?.[0]?.VpcId ?? null, tags: tagMap(g.Tags) } });
      return out;
    },
    async create(resource, { signal }) {
      const ec2 = await aws.ec2();
      const a = resource.attributes;
      const { InternetGateway } = await ec2.client.send(new ec2.sdk.CreateInternetGatewayCommand({ TagSpecifications: tagSpecifications("internet-gateway", a.tags) }), { abortSignal: signal });
      const id = InternetGateway!.InternetGatewayId!;
      await ec2.client.send(new ec2.sdk.AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: String(a.vpc_id) }), { abortSignal: signal });
      return { id, attributes: { ...a } };
    },
    async update(resource, actual, _changes, { signal }) {
      const ec2 = await aws.ec2();
      // A gateway whose create stopped before the attach (a retried create continues here).
      if (actual.attributes.vpc_id == null) {
        await ec2.client.send(new ec2.sdk.AttachInternetGatewayCommand({ InternetGatewayId: actual.id, VpcId: String(resource.attributes.vpc_id) }), { abortSignal: signal });
      }
      await updateEc2Tags(ec2, actual.id, actual.attributes.tags, resource.attributes.tags, signal);
      return { ...actual, attributes: { ...actual.attributes, vpc_id: resource.attributes.vpc_id, tags: resource.attributes.tags } };
    },
    async delete(actual, { signal }) {
      const ec2 = await aws.ec2();
      const vpcId = actual.attributes.vpc_id;
      if (typeof vpcId === "string") {
        // Detaching fails while public addresses are still mapped in the VPC: retried as a dependency.
        try {
          await whileDependent(() => ec2.client.send(new ec2.sdk.DetachInternetGatewayCommand({ InternetGatewayId: actual.id, VpcId: vpcId }), { abortSignal: signal }), signal);
        } catch (err) {
          if (errorCode(err) !== "Gateway.NotAttached") throw err;
        }
      }
      await ignoreNotFound(() => whileDependent(() => ec2.client.send(new ec2.sdk.DeleteInternetGatewayCommand({ InternetGatewayId: actual.id }), { abortSignal: signal }), signal));
    },
  };
}
