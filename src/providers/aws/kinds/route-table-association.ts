// aws/route_table_association: a subnet in the public route table. Found through the tracked route table; without
// state, create() adopts the association that already exists for the subnet.
import type { Actual, Resource, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound } from "../errors.ts";
import { describeRouteTables } from "./route-table.ts";

export function routeTableAssociationKind(aws: AwsClients): ResourceKind {
  async function existing(subnetId: string, signal: AbortSignal): Promise<Actual | undefined> {
    const tables = await describeRouteTables(aws, [{ Name: "association.subnet-id", Values: [subnetId] }], signal);
    const assoc = tables.flatMap((t) => t.Associations ?? []).find((a) => a.SubnetId === subnetId);
    return assoc && { id: assoc.RouteTableAssociationId!, attributes: { route_table_id: assoc.RouteTableId, subnet_id: assoc.SubnetId } };
  }
  return {
    kind: "aws/route_table_association",
    timeoutMs: 5 * 60_000,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      const tracked = batch.filter((l) => l.tracked);
      const tableIds = [...new Set(tracked.map((l) => String(l.tracked!.attributes.route_table_id)))];
      if (!tableIds.length) return out;
      const tables = await describeRouteTables(aws, [{ Name: "route-table-id", Values: tableIds }], signal);
      const associations = tables.flatMap((t) => t.Associations ?? []);
      for (const l of tracked) {
        const a = associations.find((x) => x.RouteTableAssociationId === l.tracked!.id);
        if (a) out.set(l.address, { id: a.RouteTableAssociationId!, attributes: { route_table_id: a.RouteTableId, subnet_id: a.SubnetId } });
      }
      return out;
    },
    async create(resource: Resource, { signal }) {
      const ec2 = await aws.ec2();
      const { route_table_id, subnet_id } = resource.attributes as { route_table_id: string; subnet_id: string };
      try {
        const r = await ec2.client.send(new ec2.sdk.AssociateRouteTableCommand({ RouteTableId: route_table_id, SubnetId: subnet_id }), { abortSignal: signal });
        return { id: r.AssociationId!, attributes: { route_table_id, subnet_id } };
      } catch (err) {
        const found = errorCode(err) === "Resource.AlreadyAssociated" ? await existing(subnet_id, signal) : undefined;
        if (found?.attributes.route_table_id === route_table_id) return found;
        throw err;
      }
    },
    async update(_resource, actual) {
      return actual; // Both fields force a replacement.
    },
    async delete(actual, { signal }) {
      const ec2 = await aws.ec2();
      await ignoreNotFound(() => ec2.client.send(new ec2.sdk.DisassociateRouteTableCommand({ AssociationId: actual.id }), { abortSignal: signal }));
    },
  };
}
