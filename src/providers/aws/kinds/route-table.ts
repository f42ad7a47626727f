// aws/route_table: the public route table (0.0.0.0/0 → internet gateway). AWS's `local` route is not ours.
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { ignoreNotFound, whileDependent } from "../errors.ts";
import { tagMap } from "../tags.ts";
import { allPages, findByIdOrName, tagSpecifications, updateEc2Tags } from "./ec2.ts";

type Route = { destination_cidr_block: string; gateway_id: string };

/** DescribeRouteTables, shared with the association kind so one observe reads the table once. */
export function describeRouteTables(aws: AwsClients, Filters: { Name: string; Values: string[] }[], signal: AbortSignal): Promise<EC2.RouteTable[]> {
  return aws.shared(`DescribeRouteTables ${JSON.stringify(Filters)}`, async () => {
    const ec2 = await aws.ec2();
    return allPages((NextToken) => ec2.client.send(new ec2.sdk.DescribeRouteTablesCommand({ Filters, NextToken }), { abortSignal: signal }).then((r) => ({ items: r.RouteTables, next: r.NextToken })));
  });
}

const routesOf = (t: EC2.RouteTable): Route[] =>
  (t.Routes ?? [])
    .filter((r) => r.GatewayId !== "local" && r.DestinationCidrBlock)
    .map((r) => ({ destination_cidr_block: r.DestinationCidrBlock!, gateway_id: r.GatewayId ?? "" }))
    .sort((a, b) => a.destination_cidr_block.localeCompare(b.destination_cidr_block));

export function routeTableKind(aws: AwsClients): ResourceKind {
  async function setRoutes(id: string, before: Route[], after: Route[], signal: AbortSignal) {
    const ec2 = await aws.ec2();
    for (const r of after) {
      const old = before.find((b) => b.destination_cidr_block === r.destination_cidr_block);
      if (old?.gateway_id === r.gateway_id) continue;
      const input = { RouteTableId: id, DestinationCidrBlock: r.destination_cidr_block, GatewayId: r.gateway_id };
      await ec2.client.send(old ? new ec2.sdk.ReplaceRouteCommand(input) : new ec2.sdk.CreateRouteCommand(input), { abortSignal: signal });
    }
    for (const r of before.filter((b) => !after.some((a) => a.destination_cidr_block === b.destination_cidr_block)))
      await ec2.client.send(new ec2.sdk.DeleteRouteCommand({ RouteTableId: id, DestinationCidrBlock: r.destination_cidr_block }), { abortSignal: signal });
  }
  return {
    kind: "aws/route_table",
    createsOnce: true, // see engine/types.ts
    timeoutMs: 10 * 60_000,
    async observe(batch, { signal }) {
      const found = await findByIdOrName(batch, (filters) => describeRouteTables(aws, filters, signal), (t) => t.RouteTableId, (t) => tagMap(t.Tags), "route-table-id");
      const out = new Map<string, Actual>();
      for (const [address, t] of found) out.set(address, { id: t.RouteTableId!, attributes: { vpc_id: t.VpcId, routes: routesOf(t), tags: tagMap(t.Tags) } });
      return out;
    },
    async create(resource, { signal, requestToken }) {
      const ec2 = await aws.ec2();
      const a = resource.attributes;
      const { RouteTable } = await ec2.client.send(new ec2.sdk.CreateRouteTableCommand({ VpcId: String(a.vpc_id), ClientToken: requestToken, TagSpecifications: tagSpecifications("route-table", a.tags) }), { abortSignal: signal });
      await setRoutes(RouteTable!.RouteTableId!, [], a.routes as Route[], signal);
      return { id: RouteTable!.RouteTableId!, attributes: { ...a } };
    },
    async update(resource, actual, _changes, { signal }) {
      const a = resource.attributes;
      await setRoutes(actual.id, actual.attributes.routes as Route[], a.routes as Route[], signal);
      await updateEc2Tags(await aws.ec2(), actual.id, actual.attributes.tags, a.tags, signal);
      return { id: actual.id, attributes: { ...actual.attributes, routes: a.routes, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const ec2 = await aws.ec2();
      await ignoreNotFound(() => whileDependent(() => ec2.client.send(new ec2.sdk.DeleteRouteTableCommand({ RouteTableId: actual.id }), { abortSignal: signal }), signal));
    },
  };
}
