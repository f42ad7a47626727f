// Network interfaces. Other services (EKS, EFS, ELB) create them in subnets; node-group interfaces
// linger for world.delays.eniLinger after their node group is gone, as on AWS.
import { AwsError } from "../../protocols/errors.ts";
import { awsId, hex, type Resource, type Tags, type World } from "../../world.ts";
import type { QueryHandler } from "../service.ts";
import { describe, mustGet, tagSet, zoneId } from "./common.ts";
import type { SecurityGroup } from "./security-groups.ts";
import type { Subnet } from "./vpc.ts";

export interface NetworkInterface extends Resource {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  groupIds: string[];
  description: string;
  interfaceType: string;
  privateIpAddress: string;
  requesterId?: string;
  instanceId?: string;
  /** Which sandbox resource made it (e.g. a node group ARN); used to release it. */
  owner?: string;
  /** Epoch ms when a lingering interface finally disappears. */
  goneAt?: number;
}

const TYPE = "ec2:network-interface";
let counter = 0;

function nextIp(cidr: string): string {
  const [a, b, c, d] = cidr.split("/")[0]!.split(".").map(Number);
  counter++;
  return `${a}.${b}.${c! + Math.floor(counter / 250)}.${d! + 4 + (counter % 250)}`;
}

export function createInterface(
  world: World,
  opts: { subnetId: string; groupIds: string[]; description: string; owner: string; interfaceType?: string; requesterId?: string; instanceId?: string; tags?: Tags },
): NetworkInterface {
  const subnet = mustGet<Subnet>(world, "ec2:subnet", opts.subnetId, "InvalidSubnetID.NotFound", "subnet");
  return world.put<NetworkInterface>({
    type: TYPE,
    id: awsId("eni"),
    tags: opts.tags ?? {},
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    availabilityZone: subnet.availabilityZone,
    groupIds: opts.groupIds,
    description: opts.description,
    interfaceType: opts.interfaceType ?? "interface",
    privateIpAddress: nextIp(subnet.cidrBlock),
    requesterId: opts.requesterId,
    instanceId: opts.instanceId,
    owner: opts.owner,
  });
}

/** Remove an owner's interfaces after `lingerMs` (0 = now). */
export function releaseInterfaces(world: World, owner: string, lingerMs: number): void {
  const goneAt = Date.now() + lingerMs;
  for (const eni of [...world.table<NetworkInterface>(TYPE).values()]) {
    if (eni.owner !== owner) continue;
    if (lingerMs <= 0) world.remove(TYPE, eni.id);
    else {
      eni.goneAt = goneAt;
      world.due(goneAt);
    }
  }
  world.changed();
}

export function settleInterfaces(world: World, now: number): void {
  for (const eni of [...world.table<NetworkInterface>(TYPE).values()]) {
    if (eni.goneAt === undefined) continue;
    if (eni.goneAt <= now) world.remove(TYPE, eni.id);
    else world.due(eni.goneAt);
  }
}

function render(n: NetworkInterface, world: World) {
  const groups = world.table<SecurityGroup>("ec2:security-group");
  const attached = n.instanceId !== undefined;
  return {
    networkInterfaceId: n.id,
    subnetId: n.subnetId,
    vpcId: n.vpcId,
    availabilityZone: n.availabilityZone,
    availabilityZoneId: zoneId(n.availabilityZone),
    description: n.description,
    ownerId: world.account,
    requesterId: n.requesterId,
    requesterManaged: n.requesterId !== undefined,
    status: attached || n.requesterId ? "in-use" : "available",
    macAddress: `02:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}`,
    privateIpAddress: n.privateIpAddress,
    privateIpAddressesSet: [{ privateIpAddress: n.privateIpAddress, primary: true }],
    sourceDestCheck: true,
    interfaceType: n.interfaceType,
    groupSet: n.groupIds.map((groupId) => ({ groupId, groupName: groups.get(groupId)?.groupName })),
    attachment: attached
      ? { attachmentId: `eni-attach-${n.id.slice(4)}`, instanceId: n.instanceId, instanceOwnerId: world.account, deviceIndex: 0, status: "attached", deleteOnTermination: true }
      : undefined,
    tagSet: tagSet(n.tags),
  };
}

export const interfaceActions: Record<string, QueryHandler> = {
  DescribeNetworkInterfaces(p, world) {
    const { items, next } = describe<NetworkInterface>(world, TYPE, p, "NetworkInterfaceId", "InvalidNetworkInterfaceID.NotFound", "network interface", (n) => ({
      "network-interface-id": n.id,
      "subnet-id": n.subnetId,
      "vpc-id": n.vpcId,
      "group-id": n.groupIds,
      description: n.description,
      "interface-type": n.interfaceType,
      "requester-id": n.requesterId,
      "requester-managed": String(n.requesterId !== undefined),
      "attachment.instance-id": n.instanceId,
      "attachment.instance-owner-id": n.instanceId ? world.account : undefined,
      status: n.instanceId || n.requesterId ? "in-use" : "available",
      "availability-zone": n.availabilityZone,
      "owner-id": world.account,
    }));
    return { networkInterfaceSet: items.map((n) => render(n, world)), nextToken: next };
  },
  DeleteNetworkInterface(p, world) {
    const n = mustGet<NetworkInterface>(world, TYPE, p.NetworkInterfaceId, "InvalidNetworkInterfaceID.NotFound", "network interface");
    if (n.instanceId || n.requesterId) throw new AwsError("InvalidNetworkInterface.InUse", `Interface: [${n.id}] in use.`);
    world.remove(TYPE, n.id);
    return undefined;
  },
};
