// EFS (REST-JSON under /2015-02-01, signing name "elasticfilesystem"): file systems creating → available,
// mount targets with an ENI in their subnet. Timestamps are epoch seconds.
import { AwsError, notFound } from "../protocols/errors.ts";
import { epoch, json } from "../protocols/json.ts";
import { awsId, type Resource, type World } from "../world.ts";
import { createInterface, releaseInterfaces, type NetworkInterface } from "./ec2/interfaces.ts";
import { zoneId } from "./ec2/common.ts";
import type { Subnet } from "./ec2/vpc.ts";
import { restJsonService, tagList, tagMap, type AwsService, type RestRoute } from "./service.ts";

type LifeCycleState = "creating" | "available" | "deleting";
export interface FileSystem extends Resource {
  arn: string;
  creationToken: string;
  createdAt: number;
  state: LifeCycleState;
  transitionAt: number;
  performanceMode: string;
  throughputMode: string;
  provisionedThroughputInMibps?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  availabilityZoneName?: string;
  lifecyclePolicies: unknown[];
  backup: boolean;
}
export interface MountTarget extends Resource {
  fileSystemId: string;
  subnetId: string;
  state: LifeCycleState;
  transitionAt: number;
  networkInterfaceId: string;
}

const FS = "efs:file-system";
const MT = "efs:mount-target";
const P = "/2015-02-01";

function fileSystem(world: World, id: string): FileSystem {
  const fs = world.table<FileSystem>(FS).get(id);
  if (!fs) throw notFound("FileSystemNotFound", `File system '${id}' does not exist.`);
  return fs;
}

function mountTarget(world: World, id: string): MountTarget {
  const mt = world.table<MountTarget>(MT).get(id);
  if (!mt) throw notFound("MountTargetNotFound", `Mount target '${id}' does not exist.`);
  return mt;
}

const mountTargetsOf = (world: World, fsId: string) => [...world.table<MountTarget>(MT).values()].filter((m) => m.fileSystemId === fsId);

const renderFs = (fs: FileSystem, world: World) => ({
  OwnerId: world.account,
  CreationToken: fs.creationToken,
  FileSystemId: fs.id,
  FileSystemArn: fs.arn,
  CreationTime: epoch(fs.createdAt),
  LifeCycleState: fs.state,
  Name: fs.tags.Name,
  NumberOfMountTargets: mountTargetsOf(world, fs.id).length,
  SizeInBytes: { Value: 6144, ValueInIA: 0, ValueInStandard: 6144, ValueInArchive: 0 },
  PerformanceMode: fs.performanceMode,
  Encrypted: fs.encrypted,
  KmsKeyId: fs.kmsKeyId,
  ThroughputMode: fs.throughputMode,
  ProvisionedThroughputInMibps: fs.provisionedThroughputInMibps,
  AvailabilityZoneName: fs.availabilityZoneName,
  AvailabilityZoneId: fs.availabilityZoneName ? zoneId(fs.availabilityZoneName) : undefined,
  Tags: tagList(fs.tags),
  FileSystemProtection: { ReplicationOverwriteProtection: "ENABLED" },
});

function renderMt(mt: MountTarget, world: World) {
  const subnet = world.table<Subnet>("ec2:subnet").get(mt.subnetId);
  const eni = world.table<NetworkInterface>("ec2:network-interface").get(mt.networkInterfaceId);
  return {
    OwnerId: world.account,
    MountTargetId: mt.id,
    FileSystemId: mt.fileSystemId,
    SubnetId: mt.subnetId,
    LifeCycleState: mt.state,
    IpAddress: eni?.privateIpAddress,
    NetworkInterfaceId: mt.networkInterfaceId,
    AvailabilityZoneId: subnet ? zoneId(subnet.availabilityZone) : undefined,
    AvailabilityZoneName: subnet?.availabilityZone,
    VpcId: subnet?.vpcId,
  };
}

function settle(world: World, now: number): void {
  for (const type of [FS, MT]) {
    for (const r of [...world.table<FileSystem | MountTarget>(type).values()]) {
      if (r.state === "available") continue;
      if (r.transitionAt > now) world.due(r.transitionAt);
      else if (r.state === "creating") {
        r.state = "available";
        world.changed();
      } else {
        if (type === MT) releaseInterfaces(world, r.id, 0);
        world.remove(type, r.id);
      }
    }
  }
}

function paged<T>(items: T[], query: URLSearchParams) {
  const start = Number(query.get("Marker") ?? 0);
  const size = Number(query.get("MaxItems") ?? 100);
  return { items: items.slice(start, start + size), marker: query.get("Marker") ?? undefined, next: start + size < items.length ? String(start + size) : undefined };
}

function retag(world: World, id: string, tags?: Record<string, string>, removeKeys: string[] = []) {
  const fs = fileSystem(world, id);
  Object.assign(fs.tags, tags);
  for (const k of removeKeys) delete fs.tags[k];
  world.changed();
}

const routes: RestRoute[] = [
  ["POST", `${P}/file-systems`, "CreateFileSystem", ({ body, world }) => {
    const token = String(body.CreationToken ?? "");
    const existing = [...world.table<FileSystem>(FS).values()].find((f) => f.creationToken === token);
    if (existing) throw new AwsError("FileSystemAlreadyExists", `File system '${existing.id}' already exists with creation token '${token}'`, 409);
    const id = awsId("fs");
    const now = Date.now();
    const fs = world.put<FileSystem>({
      type: FS,
      id,
      tags: tagMap(body.Tags),
      arn: `arn:aws:elasticfilesystem:${world.region}:${world.account}:file-system/${id}`,
      creationToken: token,
      createdAt: now,
      state: "creating",
      transitionAt: now + world.delays.efsCreate,
      performanceMode: body.PerformanceMode ?? "generalPurpose",
      throughputMode: body.ThroughputMode ?? "bursting",
      provisionedThroughputInMibps: body.ProvisionedThroughputInMibps,
      encrypted: body.Encrypted ?? false,
      kmsKeyId: body.Encrypted ? (body.KmsKeyId ?? `arn:aws:kms:${world.region}:${world.account}:key/${crypto.randomUUID()}`) : undefined,
      availabilityZoneName: body.AvailabilityZoneName,
      lifecyclePolicies: [],
      backup: body.Backup ?? false,
    });
    fs.name = fs.tags.Name;
    world.due(fs.transitionAt);
    return json(renderFs(fs, world), 201);
  }],
  ["GET", `${P}/file-systems`, "DescribeFileSystems", ({ query, world }) => {
    const id = query.get("FileSystemId");
    const token = query.get("CreationToken");
    let all = id ? [fileSystem(world, id)] : [...world.table<FileSystem>(FS).values()];
    if (token) all = all.filter((f) => f.creationToken === token);
    const { items, marker, next } = paged(all, query);
    return json({ FileSystems: items.map((f) => renderFs(f, world)), Marker: marker, NextMarker: next });
  }],
  ["PUT", `${P}/file-systems/{id}`, "UpdateFileSystem", ({ path, body, world }) => {
    const fs = fileSystem(world, path.id!);
    if (body.ThroughputMode) fs.throughputMode = body.ThroughputMode;
    if (body.ProvisionedThroughputInMibps !== undefined) fs.provisionedThroughputInMibps = body.ProvisionedThroughputInMibps;
    world.changed();
    return json(renderFs(fs, world), 202);
  }],
  ["DELETE", `${P}/file-systems/{id}`, "DeleteFileSystem", ({ path, world }) => {
    const fs = fileSystem(world, path.id!);
    if (mountTargetsOf(world, fs.id).length) throw new AwsError("FileSystemInUse", `File system '${fs.id}' has mount targets and cannot be deleted.`, 409);
    if (fs.state !== "deleting") {
      fs.state = "deleting";
      fs.transitionAt = Date.now() + world.delays.efsDelete;
      world.due(fs.transitionAt);
      world.changed();
    }
    return new Response(null, { status: 204 });
  }],
  ["GET", `${P}/file-systems/{id}/lifecycle-configuration`, "DescribeLifecycleConfiguration", ({ path, world }) =>
    json({ LifecyclePolicies: fileSystem(world, path.id!).lifecyclePolicies })],
  ["PUT", `${P}/file-systems/{id}/lifecycle-configuration`, "PutLifecycleConfiguration", ({ path, body, world }) => {
    const fs = fileSystem(world, path.id!);
    fs.lifecyclePolicies = body.LifecyclePolicies ?? [];
    world.changed();
    return json({ LifecyclePolicies: fs.lifecyclePolicies });
  }],
  ["GET", `${P}/file-systems/{id}/backup-policy`, "DescribeBackupPolicy", ({ path, world }) =>
    json({ BackupPolicy: { Status: fileSystem(world, path.id!).backup ? "ENABLED" : "DISABLED" } })],
  ["PUT", `${P}/file-systems/{id}/backup-policy`, "PutBackupPolicy", ({ path, body, world }) => {
    const fs = fileSystem(world, path.id!);
    fs.backup = body.BackupPolicy?.Status === "ENABLED";
    world.changed();
    return json({ BackupPolicy: { Status: fs.backup ? "ENABLED" : "DISABLED" } });
  }],
  ["GET", `${P}/file-systems/{id}/policy`, "DescribeFileSystemPolicy", ({ path, world }) => {
    fileSystem(world, path.id!);
    throw notFound("PolicyNotFound", "None");
  }],

  ["POST", `${P}/mount-targets`, "CreateMountTarget", ({ body, world }) => {
    const fs = fileSystem(world, body.FileSystemId);
    if (fs.state !== "available") throw new AwsError("IncorrectFileSystemLifeCycleState", `File system '${fs.id}' is ${fs.state}.`, 409);
    const subnet = world.table<Subnet>("ec2:subnet").get(body.SubnetId);
    if (!subnet) throw new AwsError("SubnetNotFound", `The subnet ID '${body.SubnetId}' does not exist`);
    const groups: string[] = body.SecurityGroups ?? [];
    for (const g of groups) if (!world.table("ec2:security-group").has(g)) throw new AwsError("SecurityGroupNotFound", `The security group '${g}' does not exist`);
    const sameZone = mountTargetsOf(world, fs.id).find((m) => world.table<Subnet>("ec2:subnet").get(m.subnetId)?.availabilityZone === subnet.availabilityZone);
    if (sameZone) throw new AwsError("MountTargetConflict", "mount target already exists in this AZ", 409);
    const id = awsId("fsmt");
    const eni = createInterface(world, { subnetId: subnet.id, groupIds: groups, description: `EFS mount target for ${fs.id} (${id})`, owner: id, requesterId: "efs-service" });
    const now = Date.now();
    const mt = world.put<MountTarget>({ type: MT, id, tags: {}, fileSystemId: fs.id, subnetId: subnet.id, state: "creating", transitionAt: now + (world.delays.efsMountTargetCreate ?? world.delays.efsCreate), networkInterfaceId: eni.id });
    world.due(mt.transitionAt);
    return json(renderMt(mt, world));
  }],
  ["GET", `${P}/mount-targets`, "DescribeMountTargets", ({ query, world }) => {
    const id = query.get("MountTargetId");
    const fsId = query.get("FileSystemId");
    if (!id && !fsId) throw new AwsError("BadRequest", "FileSystemId or MountTargetId is required");
    const all = id ? [mountTarget(world, id)] : (fileSystem(world, fsId!), mountTargetsOf(world, fsId!));
    const { items, marker, next } = paged(all, query);
    return json({ MountTargets: items.map((m) => renderMt(m, world)), Marker: marker, NextMarker: next });
  }],
  ["GET", `${P}/mount-targets/{id}/security-groups`, "DescribeMountTargetSecurityGroups", ({ path, world }) => {
    const mt = mountTarget(world, path.id!);
    return json({ SecurityGroups: world.table<NetworkInterface>("ec2:network-interface").get(mt.networkInterfaceId)?.groupIds ?? [] });
  }],
  ["PUT", `${P}/mount-targets/{id}/security-groups`, "ModifyMountTargetSecurityGroups", ({ path, body, world }) => {
    const mt = mountTarget(world, path.id!);
    const eni = world.table<NetworkInterface>("ec2:network-interface").get(mt.networkInterfaceId);
    if (eni) eni.groupIds = body.SecurityGroups ?? [];
    world.changed();
    return new Response(null, { status: 204 });
  }],
  ["DELETE", `${P}/mount-targets/{id}`, "DeleteMountTarget", ({ path, world }) => {
    const mt = mountTarget(world, path.id!);
    if (mt.state !== "deleting") {
      mt.state = "deleting";
      mt.transitionAt = Date.now() + world.delays.efsDelete;
      world.due(mt.transitionAt);
      world.changed();
    }
    return new Response(null, { status: 204 });
  }],

  ["GET", `${P}/resource-tags/{id}`, "ListTagsForResource", ({ path, world }) => json({ Tags: tagList(fileSystem(world, path.id!).tags) })],
  ["POST", `${P}/resource-tags/{id}`, "TagResource", ({ path, body, world }) => (retag(world, path.id!, tagMap(body.Tags)), new Response(null, { status: 200 }))],
  ["DELETE", `${P}/resource-tags/{id}`, "UntagResource", ({ path, query, world }) => (retag(world, path.id!, {}, query.getAll("tagKeys")), new Response(null, { status: 200 }))],
  ["GET", `${P}/tags/{id}`, "DescribeTags", ({ path, world }) => json({ Tags: tagList(fileSystem(world, path.id!).tags) })],
  ["POST", `${P}/create-tags/{id}`, "CreateTags", ({ path, body, world }) => (retag(world, path.id!, tagMap(body.Tags)), new Response(null, { status: 204 }))],
];

export const efsModule: AwsService = { ...restJsonService({ signingName: "elasticfilesystem", envName: "EFS", routes }), settle };
