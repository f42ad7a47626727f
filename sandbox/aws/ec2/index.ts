// EC2 (query protocol, Version=2016-11-15): the network pieces of Nebari's stage 02.
import { AwsError } from "../../protocols/errors.ts";
import { list } from "../../protocols/query.ts";
import type { Resource, World } from "../../world.ts";
import { ec2Service, type AwsService, type QueryHandler } from "../service.ts";
import { catalogActions } from "./catalog.ts";
import { matchesFilters, zones as regionZones } from "./common.ts";
import { interfaceActions, settleInterfaces } from "./interfaces.ts";
import { natActions, settleNatGateways } from "./nat.ts";
import { securityGroupActions } from "./security-groups.ts";
import { vpcActions } from "./vpc.ts";

/** Id prefix → table, for the tag actions that take any resource id. */
const TYPES_BY_PREFIX: Record<string, string> = {
  vpc: "ec2:vpc",
  subnet: "ec2:subnet",
  igw: "ec2:internet-gateway",
  rtb: "ec2:route-table",
  acl: "ec2:network-acl",
  sg: "ec2:security-group",
  eni: "ec2:network-interface",
  lt: "ec2:launch-template",
  eipalloc: "ec2:elastic-ip",
  nat: "ec2:nat-gateway",
};

function byId(world: World, id: string): Resource {
  const type = TYPES_BY_PREFIX[id.slice(0, id.lastIndexOf("-"))];
  const r = type ? world.table(type).get(id) : undefined;
  if (!r) throw new AwsError(`Invalid${id.startsWith("sg-") ? "Group" : "ID"}.NotFound`, `The ID '${id}' does not exist`);
  return r;
}

const tagActions: Record<string, QueryHandler> = {
  CreateTags(p, world) {
    const resources = list<string>(p.ResourceId).map((id) => byId(world, id));
    for (const r of resources) for (const t of list<any>(p.Tag)) r.tags[t.Key] = t.Value ?? "";
    world.changed();
    return undefined;
  },
  DeleteTags(p, world) {
    const resources = list<string>(p.ResourceId).map((id) => byId(world, id));
    for (const r of resources)
      for (const t of list<any>(p.Tag)) if (t.Value === undefined || r.tags[t.Key] === t.Value) delete r.tags[t.Key];
    world.changed();
    return undefined;
  },
  DescribeTags(p, world) {
    const filters = list<any>(p.Filter).map((f) => ({ Name: f.Name, Value: list<string>(f.Value) }));
    const tags = Object.values(TYPES_BY_PREFIX).flatMap((type) =>
      [...world.table(type).values()].flatMap((r) =>
        Object.entries(r.tags).map(([key, value]) => ({ type: "ec2:tag", id: r.id, tags: {}, key, value, resourceType: type.slice(4) })),
      ),
    );
    const items = tags.filter((t) => matchesFilters(t, filters, (x) => ({ "resource-id": x.id, "resource-type": x.resourceType, key: x.key, value: x.value })));
    return { tagSet: items.map((t) => ({ resourceId: t.id, resourceType: t.resourceType, key: t.key, value: t.value })) };
  },
};

const regionActions: Record<string, QueryHandler> = {
  DescribeAvailabilityZones(p, world) {
    const zones = regionZones(world.region).map((z) => ({ type: "ec2:zone", id: z.zoneName, tags: {}, ...z }));
    const filters = list<any>(p.Filter).map((f) => ({ Name: f.Name, Value: list<string>(f.Value) }));
    const names = list<string>(p.ZoneName);
    const items = zones.filter(
      (z) =>
        (!names.length || names.includes(z.zoneName)) &&
        matchesFilters(z, filters, (x) => ({ "zone-name": x.zoneName, "zone-id": x.zoneId, state: "available", "opt-in-status": "opt-in-not-required", "region-name": world.region, "zone-type": "availability-zone", "group-name": world.region })),
    );
    return {
      availabilityZoneInfo: items.map((z) => ({
        zoneName: z.zoneName,
        zoneId: z.zoneId,
        zoneState: "available",
        regionName: world.region,
        groupName: world.region,
        networkBorderGroup: world.region,
        optInStatus: "opt-in-not-required",
        zoneType: "availability-zone",
        messageSet: [],
      })),
    };
  },
};

const ec2 = ec2Service({ ...vpcActions, ...securityGroupActions, ...interfaceActions, ...natActions, ...tagActions, ...regionActions, ...catalogActions });
export const ec2Module: AwsService = {
  ...ec2,
  settle(world, now) {
    settleInterfaces(world, now);
    settleNatGateways(world, now);
  },
};
