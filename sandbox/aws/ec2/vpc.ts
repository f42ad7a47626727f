// VPCs and what lives directly in them: subnets, internet gateways, route tables, network ACLs.
import { AwsError } from "../../protocols/errors.ts";
import { awsId, type Resource, type World } from "../../world.ts";
import { replayed, tokened, type Tokened } from "../idempotency.ts";
import type { QueryHandler } from "../service.ts";
import { bool, dependency, describe, mustGet, specTags, tagSet, zoneId } from "./common.ts";
import { createDefaultSecurityGroup, type SecurityGroup } from "./security-groups.ts";
import type { NetworkInterface } from "./interfaces.ts";

export interface Vpc extends Resource {
  cidrBlock: string;
  cidrAssociationId: string;
  instanceTenancy: string;
  attributes: { enableDnsSupport: boolean; enableDnsHostnames: boolean; enableNetworkAddressUsageMetrics: boolean };
}
export interface Subnet extends Resource {
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  attributes: Record<string, unknown>;
}
export interface InternetGateway extends Resource {
  attachments: { vpcId: string; state: string }[];
}
export interface Route {
  destinationCidrBlock: string;
  gatewayId?: string;
  natGatewayId?: string;
  networkInterfaceId?: string;
  state: string;
  origin: string;
}
export interface RouteTableAssociation {
  routeTableAssociationId: string;
  routeTableId: string;
  subnetId?: string;
  gatewayId?: string;
  main: boolean;
  associationState: { state: string };
}
export interface RouteTable extends Resource, Tokened {
  vpcId: string;
  routes: Route[];
  associations: RouteTableAssociation[];
}
export interface NetworkAcl extends Resource {
  vpcId: string;
  isDefault: boolean;
}

const T = { vpc: "ec2:vpc", subnet: "ec2:subnet", igw: "ec2:internet-gateway", rtb: "ec2:route-table", acl: "ec2:network-acl" };

const renderVpc = (v: Vpc, world: World) => ({
  vpcId: v.id,
  ownerId: world.account,
  state: "available",
  cidrBlock: v.cidrBlock,
  cidrBlockAssociationSet: [{ associationId: v.cidrAssociationId, cidrBlock: v.cidrBlock, cidrBlockState: { state: "associated" } }],
  ipv6CidrBlockAssociationSet: [],
  dhcpOptionsId: "dopt-0sandbox0000000",
  instanceTenancy: v.instanceTenancy,
  isDefault: false,
  tagSet: tagSet(v.tags),
});

function renderSubnet(s: Subnet, world: World) {
  const a = s.attributes;
  return {
    subnetId: s.id,
    subnetArn: `arn:aws:ec2:${world.region}:${world.account}:subnet/${s.id}`,
    vpcId: s.vpcId,
    cidrBlock: s.cidrBlock,
    availabilityZone: s.availabilityZone,
    availabilityZoneId: zoneId(s.availabilityZone),
    availableIpAddressCount: 16379,
    state: "available",
    ownerId: world.account,
    defaultForAz: false,
    mapPublicIpOnLaunch: a.mapPublicIpOnLaunch ?? false,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: a.assignIpv6AddressOnCreation ?? false,
    enableDns64: a.enableDns64 ?? false,
    ipv6Native: false,
    ipv6CidrBlockAssociationSet: [],
    privateDnsNameOptionsOnLaunch: {
      hostnameType: a.privateDnsHostnameTypeOnLaunch ?? "ip-name",
      enableResourceNameDnsARecord: a.enableResourceNameDnsARecordOnLaunch ?? false,
      enableResourceNameDnsAAAARecord: a.enableResourceNameDnsAAAARecordOnLaunch ?? false,
    },
    tagSet: tagSet(s.tags),
  };
}

const renderIgw = (g: InternetGateway, world: World) => ({
  internetGatewayId: g.id,
  ownerId: world.account,
  attachmentSet: g.attachments,
  tagSet: tagSet(g.tags),
});

const renderRouteTable = (t: RouteTable, world: World) => ({
  routeTableId: t.id,
  vpcId: t.vpcId,
  ownerId: world.account,
  routeSet: t.routes,
  associationSet: t.associations,
  propagatingVgwSet: [],
  tagSet: tagSet(t.tags),
});

function renderAcl(a: NetworkAcl, world: World) {
  const subnets = [...world.table<Subnet>(T.subnet).values()].filter((s) => s.vpcId === a.vpcId);
  const rule = (ruleNumber: number, ruleAction: string, egress: boolean) => ({ ruleNumber, protocol: "-1", ruleAction, egress, cidrBlock: "0.0.0.0/0" });
  return {
    networkAclId: a.id,
    vpcId: a.vpcId,
    default: a.isDefault,
    ownerId: world.account,
    entrySet: [rule(100, "allow", true), rule(32767, "deny", true), rule(100, "allow", false), rule(32767, "deny", false)],
    associationSet: a.isDefault ? subnets.map((s) => ({ networkAclAssociationId: `aclassoc-${s.id.slice(7)}`, networkAclId: a.id, subnetId: s.id })) : [],
    tagSet: tagSet(a.tags),
  };
}

function mainAssociation(routeTableId: string): RouteTableAssociation {
  return { routeTableAssociationId: awsId("rtbassoc"), routeTableId, main: true, associationState: { state: "associated" } };
}

const inVpc = (world: World, vpcId: string) => world.all().filter((r) => (r as { vpcId?: string }).vpcId === vpcId);

export const vpcActions: Record<string, QueryHandler> = {
  CreateVpc(p, world) {
    if (!p.CidrBlock) throw new AwsError("MissingParameter", "The request must contain the parameter CidrBlock");
    const vpc = world.put<Vpc>({
      type: T.vpc,
      id: awsId("vpc"),
      tags: specTags(p, "vpc"),
      cidrBlock: p.CidrBlock,
      cidrAssociationId: awsId("vpc-cidr-assoc"),
      instanceTenancy: p.InstanceTenancy ?? "default",
      attributes: { enableDnsSupport: true, enableDnsHostnames: false, enableNetworkAddressUsageMetrics: false },
    });
    // AWS creates these three with every VPC (terraform-emulator.md T10).
    const rtb = awsId("rtb");
    world.put<RouteTable>({
      type: T.rtb,
      id: rtb,
      tags: {},
      vpcId: vpc.id,
      routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: "local", state: "active", origin: "CreateRouteTable" }],
      associations: [mainAssociation(rtb)],
    });
    world.put<NetworkAcl>({ type: T.acl, id: awsId("acl"), tags: {}, vpcId: vpc.id, isDefault: true });
    createDefaultSecurityGroup(world, vpc.id);
    return { vpc: renderVpc(vpc, world) };
  },
  DescribeVpcs(p, world) {
    const { items, next } = describe<Vpc>(world, T.vpc, p, "VpcId", "InvalidVpcID.NotFound", "vpc", (v) => ({
      "vpc-id": v.id,
      "cidr-block": v.cidrBlock,
      cidr: v.cidrBlock,
      state: "available",
      "is-default": "false",
      "owner-id": world.account,
    }));
    return { vpcSet: items.map((v) => renderVpc(v, world)), nextToken: next };
  },
  ModifyVpcAttribute(p, world) {
    const vpc = mustGet<Vpc>(world, T.vpc, p.VpcId, "InvalidVpcID.NotFound", "vpc");
    for (const name of ["EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"] as const) {
      const key = (name[0]!.toLowerCase() + name.slice(1)) as keyof Vpc["attributes"];
      if (p[name]?.Value !== undefined) vpc.attributes[key] = bool(p[name].Value);
    }
    world.changed();
    return undefined;
  },
  DescribeVpcAttribute(p, world) {
    const vpc = mustGet<Vpc>(world, T.vpc, p.VpcId, "InvalidVpcID.NotFound", "vpc");
    const name = p.Attribute as keyof Vpc["attributes"];
    if (!(name in vpc.attributes)) throw new AwsError("InvalidParameterValue", `Value (${name}) for parameter attribute is invalid.`);
    return { vpcId: vpc.id, [name]: { value: vpc.attributes[name] } };
  },
  DeleteVpc(p, world) {
    const vpc = mustGet<Vpc>(world, T.vpc, p.VpcId, "InvalidVpcID.NotFound", "vpc");
    const blockers = inVpc(world, vpc.id).filter((r) => {
      if (r.type === T.rtb) return !(r as RouteTable).associations.some((a) => a.main);
      if (r.type === T.acl) return !(r as NetworkAcl).isDefault;
      if (r.type === "ec2:security-group") return (r as SecurityGroup).groupName !== "default";
      return true;
    });
    const attached = [...world.table<InternetGateway>(T.igw).values()].filter((g) => g.attachments.some((a) => a.vpcId === vpc.id));
    if (blockers.length || attached.length)
      throw dependency(`The vpc '${vpc.id}' has dependencies and cannot be deleted.`);
    for (const r of inVpc(world, vpc.id)) world.remove(r.type, r.id);
    world.remove(T.vpc, vpc.id);
    return undefined;
  },

  CreateSubnet(p, world) {
    const vpc = mustGet<Vpc>(world, T.vpc, p.VpcId, "InvalidVpcID.NotFound", "vpc");
    const subnet = world.put<Subnet>({
      type: T.subnet,
      id: awsId("subnet"),
      tags: specTags(p, "subnet"),
      vpcId: vpc.id,
      cidrBlock: p.CidrBlock,
      availabilityZone: p.AvailabilityZone ?? `${world.region}a`,
      attributes: {},
    });
    return { subnet: renderSubnet(subnet, world) };
  },
  DescribeSubnets(p, world) {
    const { items, next } = describe<Subnet>(world, T.subnet, p, "SubnetId", "InvalidSubnetID.NotFound", "subnet", (s) => ({
      "subnet-id": s.id,
      "vpc-id": s.vpcId,
      "availability-zone": s.availabilityZone,
      "availability-zone-id": zoneId(s.availabilityZone),
      "cidr-block": s.cidrBlock,
      state: "available",
      "default-for-az": "false",
    }));
    return { subnetSet: items.map((s) => renderSubnet(s, world)), nextToken: next };
  },
  ModifySubnetAttribute(p, world) {
    const subnet = mustGet<Subnet>(world, T.subnet, p.SubnetId, "InvalidSubnetID.NotFound", "subnet");
    for (const [key, value] of Object.entries(p)) {
      if (["Action", "Version", "SubnetId"].includes(key)) continue;
      const name = key[0]!.toLowerCase() + key.slice(1);
      subnet.attributes[name] = typeof value === "object" ? bool(value.Value) : value;
    }
    world.changed();
    return undefined;
  },
  DeleteSubnet(p, world) {
    const subnet = mustGet<Subnet>(world, T.subnet, p.SubnetId, "InvalidSubnetID.NotFound", "subnet");
    const enis = [...world.table<NetworkInterface>("ec2:network-interface").values()].filter((n) => n.subnetId === subnet.id);
    if (enis.length) throw dependency(`The subnet '${subnet.id}' has dependencies and cannot be deleted.`);
    for (const t of world.table<RouteTable>(T.rtb).values()) t.associations = t.associations.filter((a) => a.subnetId !== subnet.id);
    world.remove(T.subnet, subnet.id);
    return undefined;
  },

  CreateInternetGateway(p, world) {
    const igw = world.put<InternetGateway>({ type: T.igw, id: awsId("igw"), tags: specTags(p, "internet-gateway"), attachments: [] });
    return { internetGateway: renderIgw(igw, world) };
  },
  DescribeInternetGateways(p, world) {
    const { items, next } = describe<InternetGateway>(world, T.igw, p, "InternetGatewayId", "InvalidInternetGatewayID.NotFound", "internetGateway", (g) => ({
      "internet-gateway-id": g.id,
      "attachment.vpc-id": g.attachments.map((a) => a.vpcId),
      "attachment.state": g.attachments.map((a) => a.state),
      "owner-id": world.account,
    }));
    return { internetGatewaySet: items.map((g) => renderIgw(g, world)), nextToken: next };
  },
  AttachInternetGateway(p, world) {
    const igw = mustGet<InternetGateway>(world, T.igw, p.InternetGatewayId, "InvalidInternetGatewayID.NotFound", "internetGateway");
    mustGet<Vpc>(world, T.vpc, p.VpcId, "InvalidVpcID.NotFound", "vpc");
    if (igw.attachments.length) throw new AwsError("Resource.AlreadyAssociated", `resource ${igw.id} is already attached to network ${igw.attachments[0]!.vpcId}`);
    igw.attachments = [{ vpcId: p.VpcId, state: "available" }];
    world.changed();
    return undefined;
  },
  DetachInternetGateway(p, world) {
    const igw = mustGet<InternetGateway>(world, T.igw, p.InternetGatewayId, "InvalidInternetGatewayID.NotFound", "internetGateway");
    if (!igw.attachments.some((a) => a.vpcId === p.VpcId))
      throw new AwsError("Gateway.NotAttached", `resource ${igw.id} is not attached to network ${p.VpcId}`);
    igw.attachments = [];
    world.changed();
    return undefined;
  },
  DeleteInternetGateway(p, world) {
    const igw = mustGet<InternetGateway>(world, T.igw, p.InternetGatewayId, "InvalidInternetGatewayID.NotFound", "internetGateway");
    if (igw.attachments.length) throw dependency(`The internetGateway '${igw.id}' has dependencies and cannot be deleted.`);
    world.remove(T.igw, igw.id);
    return undefined;
  },

  CreateRouteTable(p, world) {
    const made = replayed<RouteTable>(world, T.rtb, p.ClientToken, p, "IdempotentParameterMismatch");
    if (made) return { routeTable: renderRouteTable(made, world) };
    const vpc = mustGet<Vpc>(world, T.vpc, p.VpcId, "InvalidVpcID.NotFound", "vpc");
    const rtb = world.put<RouteTable>({
      ...tokened(p.ClientToken, p),
      type: T.rtb,
      id: awsId("rtb"),
      tags: specTags(p, "route-table"),
      vpcId: vpc.id,
      routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: "local", state: "active", origin: "CreateRouteTable" }],
      associations: [],
    });
    return { routeTable: renderRouteTable(rtb, world) };
  },
  DescribeRouteTables(p, world) {
    const { items, next } = describe<RouteTable>(world, T.rtb, p, "RouteTableId", "InvalidRouteTableID.NotFound", "routeTable", (t) => ({
      "route-table-id": t.id,
      "vpc-id": t.vpcId,
      "association.main": t.associations.some((a) => a.main) ? "true" : "false",
      "association.subnet-id": t.associations.flatMap((a) => a.subnetId ?? []),
      "association.gateway-id": t.associations.flatMap((a) => a.gatewayId ?? []),
      "association.route-table-association-id": t.associations.map((a) => a.routeTableAssociationId),
      "route.gateway-id": t.routes.flatMap((r) => r.gatewayId ?? []),
      "route.destination-cidr-block": t.routes.map((r) => r.destinationCidrBlock),
      "owner-id": world.account,
    }));
    return { routeTableSet: items.map((t) => renderRouteTable(t, world)), nextToken: next };
  },
  CreateRoute(p, world) {
    const rtb = mustGet<RouteTable>(world, T.rtb, p.RouteTableId, "InvalidRouteTableID.NotFound", "routeTable");
    if (rtb.routes.some((r) => r.destinationCidrBlock === p.DestinationCidrBlock))
      throw new AwsError("RouteAlreadyExists", `The route identified by ${p.DestinationCidrBlock} already exists.`);
    if (p.GatewayId) mustGet(world, T.igw, p.GatewayId, "InvalidGatewayID.NotFound", "gateway");
    rtb.routes.push({ destinationCidrBlock: p.DestinationCidrBlock, gatewayId: p.GatewayId, natGatewayId: p.NatGatewayId, networkInterfaceId: p.NetworkInterfaceId, state: "active", origin: "CreateRoute" });
    world.changed();
    return undefined;
  },
  ReplaceRoute(p, world) {
    const rtb = mustGet<RouteTable>(world, T.rtb, p.RouteTableId, "InvalidRouteTableID.NotFound", "routeTable");
    const route = rtb.routes.find((r) => r.destinationCidrBlock === p.DestinationCidrBlock);
    if (!route) throw new AwsError("InvalidRoute.NotFound", `no route with destination-cidr-block ${p.DestinationCidrBlock} in route table ${rtb.id}`);
    Object.assign(route, { gatewayId: p.GatewayId, natGatewayId: p.NatGatewayId, networkInterfaceId: p.NetworkInterfaceId });
    world.changed();
    return undefined;
  },
  DeleteRoute(p, world) {
    const rtb = mustGet<RouteTable>(world, T.rtb, p.RouteTableId, "InvalidRouteTableID.NotFound", "routeTable");
    const before = rtb.routes.length;
    rtb.routes = rtb.routes.filter((r) => r.destinationCidrBlock !== p.DestinationCidrBlock || r.gatewayId === "local");
    if (rtb.routes.length === before) throw new AwsError("InvalidRoute.NotFound", `no route with destination-cidr-block ${p.DestinationCidrBlock} in route table ${rtb.id}`);
    world.changed();
    return undefined;
  },
  AssociateRouteTable(p, world) {
    const rtb = mustGet<RouteTable>(world, T.rtb, p.RouteTableId, "InvalidRouteTableID.NotFound", "routeTable");
    if (p.SubnetId) mustGet(world, T.subnet, p.SubnetId, "InvalidSubnetID.NotFound", "subnet");
    for (const t of world.table<RouteTable>(T.rtb).values())
      if (t.associations.some((a) => p.SubnetId && a.subnetId === p.SubnetId))
        throw new AwsError("Resource.AlreadyAssociated", `the specified association for route table ${t.id} conflicts with an existing association`);
    const assoc: RouteTableAssociation = { routeTableAssociationId: awsId("rtbassoc"), routeTableId: rtb.id, subnetId: p.SubnetId, gatewayId: p.GatewayId, main: false, associationState: { state: "associated" } };
    rtb.associations.push(assoc);
    world.changed();
    return { associationId: assoc.routeTableAssociationId, associationState: assoc.associationState };
  },
  DisassociateRouteTable(p, world) {
    for (const t of world.table<RouteTable>(T.rtb).values()) {
      const assoc = t.associations.find((a) => a.routeTableAssociationId === p.AssociationId);
      if (!assoc) continue;
      if (assoc.main) throw new AwsError("InvalidParameterValue", "cannot disassociate the main route table association");
      t.associations = t.associations.filter((a) => a !== assoc);
      world.changed();
      return undefined;
    }
    throw new AwsError("InvalidAssociationID.NotFound", `The association ID '${p.AssociationId}' does not exist`);
  },
  DeleteRouteTable(p, world) {
    const rtb = mustGet<RouteTable>(world, T.rtb, p.RouteTableId, "InvalidRouteTableID.NotFound", "routeTable");
    if (rtb.associations.length) throw dependency(`The routeTable '${rtb.id}' has dependencies and cannot be deleted.`);
    world.remove(T.rtb, rtb.id);
    return undefined;
  },

  DescribeNetworkAcls(p, world) {
    const { items, next } = describe<NetworkAcl>(world, T.acl, p, "NetworkAclId", "InvalidNetworkAclID.NotFound", "networkAcl", (a) => ({
      "network-acl-id": a.id,
      "vpc-id": a.vpcId,
      default: String(a.isDefault),
      "association.subnet-id": renderAcl(a, world).associationSet.map((s) => s.subnetId),
      "owner-id": world.account,
    }));
    return { networkAclSet: items.map((a) => renderAcl(a, world)), nextToken: next };
  },
};

