// Elastic IPs and NAT gateways. Nebari's subnets are public, so NIC only finds and removes these
// (destroy's sweep); they exist so that sweep can be tested. Deleted NAT gateways stay visible in
// state "deleted" for a while, as on AWS.
import { AwsError } from "../../protocols/errors.ts";
import { awsId, type Resource, type World } from "../../world.ts";
import type { QueryHandler } from "../service.ts";
import { describe, mustGet, specTags, tagSet } from "./common.ts";
import { createInterface, releaseInterfaces, type NetworkInterface } from "./interfaces.ts";
import type { Subnet } from "./vpc.ts";

export interface Address extends Resource {
  publicIp: string;
  associationId?: string;
  networkInterfaceId?: string;
}
export interface NatGateway extends Resource {
  subnetId: string;
  vpcId: string;
  allocationId?: string;
  networkInterfaceId: string;
  state: "available" | "deleting" | "deleted";
  createTime: string;
  deleteTime?: string;
  transitionAt?: number;
}

const ADDRESS = "ec2:elastic-ip";
const NAT = "ec2:nat-gateway";
/** How long a deleted NAT gateway stays visible in DescribeNatGateways. */
const DELETED_VISIBLE_MS = 10_000;

let nextIp = 1;
const publicIp = () => `203.0.113.${(nextIp++ % 250) + 1}`;

const renderAddress = (a: Address, world: World) => ({
  allocationId: a.id,
  publicIp: a.publicIp,
  domain: "vpc",
  associationId: a.associationId,
  networkInterfaceId: a.networkInterfaceId,
  networkInterfaceOwnerId: a.networkInterfaceId ? world.account : undefined,
  networkBorderGroup: world.region,
  publicIpv4Pool: "amazon",
  tagSet: tagSet(a.tags),
});

function renderNat(g: NatGateway, world: World) {
  const eni = world.table<NetworkInterface>("ec2:network-interface").get(g.networkInterfaceId);
  const ip = g.allocationId ? world.table<Address>(ADDRESS).get(g.allocationId)?.publicIp : undefined;
  return {
    natGatewayId: g.id,
    subnetId: g.subnetId,
    vpcId: g.vpcId,
    state: g.state,
    connectivityType: "public",
    createTime: g.createTime,
    deleteTime: g.deleteTime,
    natGatewayAddressSet: [{ allocationId: g.allocationId, networkInterfaceId: g.networkInterfaceId, privateIp: eni?.privateIpAddress, publicIp: ip, isPrimary: true, status: "succeeded" }],
    tagSet: tagSet(g.tags),
  };
}

export function settleNatGateways(world: World, now: number): void {
  for (const g of [...world.table<NatGateway>(NAT).values()]) {
    if (g.transitionAt === undefined) continue;
    if (g.transitionAt > now) world.due(g.transitionAt);
    else if (g.state === "deleting") {
      g.state = "deleted";
      g.deleteTime = new Date().toISOString();
      releaseInterfaces(world, g.id, 0);
      const addr = g.allocationId ? world.table<Address>(ADDRESS).get(g.allocationId) : undefined;
      if (addr) addr.associationId = addr.networkInterfaceId = undefined;
      g.transitionAt = now + DELETED_VISIBLE_MS;
      world.due(g.transitionAt);
    } else world.remove(NAT, g.id);
  }
}

export const natActions: Record<string, QueryHandler> = {
  AllocateAddress(p, world) {
    const a = world.put<Address>({ type: ADDRESS, id: awsId("eipalloc"), tags: specTags(p, "elastic-ip"), publicIp: publicIp() });
    return { publicIp: a.publicIp, allocationId: a.id, domain: "vpc", networkBorderGroup: world.region };
  },
  DescribeAddresses(p, world) {
    const { items } = describe<Address>(world, ADDRESS, p, "AllocationId", "InvalidAllocationID.NotFound", "allocation", (a) => ({
      "allocation-id": a.id,
      "public-ip": a.publicIp,
      "association-id": a.associationId,
      "network-interface-id": a.networkInterfaceId,
      domain: "vpc",
    }));
    return { addressesSet: items.map((a) => renderAddress(a, world)) };
  },
  ReleaseAddress(p, world) {
    const a = mustGet<Address>(world, ADDRESS, p.AllocationId, "InvalidAllocationID.NotFound", "allocation");
    if (a.associationId) throw new AwsError("InvalidIPAddress.InUse", `Address ${a.publicIp} is in use.`);
    world.remove(ADDRESS, a.id);
    return undefined;
  },
  CreateNatGateway(p, world) {
    const subnet = mustGet<Subnet>(world, "ec2:subnet", p.SubnetId, "InvalidSubnetID.NotFound", "subnet");
    const address = p.AllocationId ? mustGet<Address>(world, ADDRESS, p.AllocationId, "InvalidAllocationID.NotFound", "allocation") : undefined;
    const id = awsId("nat");
    const eni = createInterface(world, { subnetId: subnet.id, groupIds: [], description: `Interface for NAT Gateway ${id}`, owner: id, requesterId: "nat-gateway", interfaceType: "nat_gateway" });
    if (address) Object.assign(address, { associationId: awsId("eipassoc"), networkInterfaceId: eni.id });
    const g = world.put<NatGateway>({ type: NAT, id, tags: specTags(p, "natgateway"), subnetId: subnet.id, vpcId: subnet.vpcId, allocationId: address?.id, networkInterfaceId: eni.id, state: "available", createTime: new Date().toISOString() });
    return { natGateway: renderNat(g, world) };
  },
  DescribeNatGateways(p, world) {
    const filters = { ...p, Filter: p.Filter ?? [] };
    const { items, next } = describe<NatGateway>(world, NAT, filters, "NatGatewayId", "NatGatewayNotFound", "NAT gateway", (g) => ({
      "nat-gateway-id": g.id,
      "subnet-id": g.subnetId,
      "vpc-id": g.vpcId,
      state: g.state,
    }));
    return { natGatewaySet: items.map((g) => renderNat(g, world)), nextToken: next };
  },
  DeleteNatGateway(p, world) {
    const g = mustGet<NatGateway>(world, NAT, p.NatGatewayId, "NatGatewayNotFound", "NAT gateway");
    if (g.state === "available") {
      g.state = "deleting";
      g.transitionAt = Date.now() + world.delays.eniLinger;
      world.due(g.transitionAt);
      world.changed();
    }
    return { natGatewayId: g.id };
  },
};

