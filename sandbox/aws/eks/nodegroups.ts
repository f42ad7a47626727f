// EKS managed node groups: each runs on an Auto Scaling group named like EKS names them, with one
// instance ENI per desired node. After deletion those ENIs linger for delays.eniLinger.
import { AwsError, notFound } from "../../protocols/errors.ts";
import { epoch, json } from "../../protocols/json.ts";
import { awsId, uuid, type Resource, type World } from "../../world.ts";
import { createAutoScalingGroup, type AutoScalingGroup } from "../autoscaling.ts";
import { createInterface, releaseInterfaces } from "../ec2/interfaces.ts";
import type { Subnet } from "../ec2/vpc.ts";
import type { RestRoute } from "../service.ts";
import { replayed, tokened, type Tokened } from "../idempotency.ts";
import { getCluster } from "./clusters.ts";

export interface Nodegroup extends Resource, Tokened {
  clusterName: string;
  arn: string;
  status: "CREATING" | "ACTIVE" | "DELETING" | "UPDATING";
  transitionAt: number;
  createdAt: number;
  modifiedAt: number;
  spec: Record<string, any>;
  autoScalingGroup: string;
}

export const NODEGROUP = "eks:nodegroup";
const key = (cluster: string, name: string) => `${cluster}/${name}`;

function getNodegroup(world: World, cluster: string, name: string): Nodegroup {
  const n = world.table<Nodegroup>(NODEGROUP).get(key(cluster, name));
  if (!n) throw notFound("ResourceNotFoundException", `No node group found for name: ${name}.`);
  return n;
}

const render = (n: Nodegroup, world: World) => ({
  nodegroupName: n.name,
  nodegroupArn: n.arn,
  clusterName: n.clusterName,
  version: n.spec.version ?? getCluster(world, n.clusterName).version,
  releaseVersion: n.spec.releaseVersion ?? "1.31.3-20250101",
  createdAt: epoch(n.createdAt),
  modifiedAt: epoch(n.modifiedAt),
  status: n.status,
  capacityType: n.spec.capacityType ?? "ON_DEMAND",
  scalingConfig: n.spec.scalingConfig,
  instanceTypes: n.spec.instanceTypes ?? ["t3.medium"],
  subnets: n.spec.subnets,
  remoteAccess: n.spec.remoteAccess,
  amiType: n.spec.amiType ?? "AL2_x86_64",
  nodeRole: n.spec.nodeRole,
  labels: n.spec.labels ?? {},
  taints: n.spec.taints ?? [],
  resources: { autoScalingGroups: [{ name: n.autoScalingGroup }] },
  diskSize: n.spec.launchTemplate ? undefined : (n.spec.diskSize ?? 20),
  health: { issues: [] },
  updateConfig: n.spec.updateConfig ?? { maxUnavailable: 1 },
  launchTemplate: n.spec.launchTemplate,
  tags: n.tags,
});

/** Start the node group's Auto Scaling group, named and tagged as EKS does, then its nodes. */
function launch(world: World, n: Nodegroup, clusterSgId: string): void {
  createAutoScalingGroup(world, {
    name: n.autoScalingGroup,
    minSize: 0,
    maxSize: 0,
    desiredCapacity: 0,
    subnetIds: n.spec.subnets,
    instances: [],
    tags: {
      "eks:cluster-name": n.clusterName,
      "eks:nodegroup-name": n.name!,
      "k8s.io/cluster-autoscaler/enabled": "true",
      [`k8s.io/cluster-autoscaler/${n.clusterName}`]: "owned",
      [`kubernetes.io/cluster/${n.clusterName}`]: "owned",
    },
  });
  scale(world, n, clusterSgId);
}

/** Match the ASG to the scaling config: one instance, with its ENI in the next subnet, per desired node. */
function scale(world: World, n: Nodegroup, clusterSgId: string): void {
  const asg = world.table<AutoScalingGroup>("autoscaling:group").get(n.autoScalingGroup);
  if (!asg) return;
  const subnets = (n.spec.subnets as string[]).map((id) => world.table<Subnet>("ec2:subnet").get(id)!);
  const desired = Number(n.spec.scalingConfig?.desiredSize ?? 0);
  asg.minSize = Number(n.spec.scalingConfig?.minSize ?? 0);
  asg.maxSize = Number(n.spec.scalingConfig?.maxSize ?? 1);
  asg.desiredCapacity = desired;
  while (asg.instances.length > desired) releaseInterfaces(world, asg.instances.pop()!.instanceId, world.delays.eniLinger);
  while (asg.instances.length < desired) {
    const subnet = subnets[asg.instances.length % subnets.length]!;
    const instanceId = awsId("i");
    createInterface(world, { subnetId: subnet.id, groupIds: [clusterSgId], description: "", owner: instanceId, instanceId });
    asg.instances.push({ instanceId, availabilityZone: subnet.availabilityZone, instanceType: n.spec.instanceTypes?.[0] ?? "t3.medium" });
  }
  world.changed();
}

export function settleNodegroups(world: World, now: number): void {
  for (const n of [...world.table<Nodegroup>(NODEGROUP).values()]) {
    if (n.status === "ACTIVE") continue;
    if (n.transitionAt > now) {
      world.due(n.transitionAt);
      continue;
    }
    if (n.status === "DELETING") {
      const asg = world.table<AutoScalingGroup>("autoscaling:group").get(n.autoScalingGroup);
      for (const i of asg?.instances ?? []) releaseInterfaces(world, i.instanceId, world.delays.eniLinger);
      world.remove("autoscaling:group", n.autoScalingGroup);
      world.remove(NODEGROUP, n.id);
    } else {
      n.status = "ACTIVE";
      world.changed();
    }
  }
}

function update(world: World, n: Nodegroup, type: string): Response {
  n.status = "UPDATING";
  n.modifiedAt = Date.now();
  n.transitionAt = Date.now() + world.delays.eksNodegroupCreate;
  world.due(n.transitionAt);
  world.changed();
  const u = { id: uuid(), status: "Successful", type, params: [], createdAt: epoch(Date.now()), errors: [] };
  getCluster(world, n.clusterName).updates.push(u);
  return json({ update: u });
}

export const nodegroupRoutes: RestRoute[] = [
  ["POST", "/clusters/{name}/node-groups", "CreateNodegroup", ({ path, body, world }) => {
    const cluster = getCluster(world, path.name!);
    if (cluster.status !== "ACTIVE") throw new AwsError("InvalidRequestException", `Cluster '${cluster.id}' is not in ACTIVE status`);
    const name = String(body.nodegroupName ?? "");
    const params = { ...body, clusterName: cluster.id };
    const made = replayed<Nodegroup>(world, NODEGROUP, body.clientRequestToken, params, "InvalidParameterException");
    if (made) return json({ nodegroup: render(made, world) });
    if (world.table(NODEGROUP).has(key(cluster.id, name))) throw new AwsError("ResourceInUseException", `NodeGroup already exists with name ${name} and cluster name ${cluster.id}`, 409);
    if (!world.all().some((r) => r.type === "iam:role" && (r as { arn?: string }).arn === body.nodeRole))
      throw new AwsError("InvalidParameterException", `Role with arn: ${body.nodeRole}, does not exist.`);
    for (const s of body.subnets ?? []) if (!world.table("ec2:subnet").has(s)) throw new AwsError("InvalidParameterException", `The subnet ID '${s}' does not exist`);
    const id = uuid();
    const now = Date.now();
    const { tags, clientRequestToken: _token, nodegroupName: _name, ...spec } = body;
    const n = world.put<Nodegroup>({
      ...tokened(body.clientRequestToken, params),
      type: NODEGROUP,
      id: key(cluster.id, name),
      name,
      tags: tags ?? {},
      clusterName: cluster.id,
      arn: `arn:aws:eks:${world.region}:${world.account}:nodegroup/${cluster.id}/${name}/${id}`,
      status: "CREATING",
      transitionAt: now + world.delays.eksNodegroupCreate,
      createdAt: now,
      modifiedAt: now,
      spec,
      autoScalingGroup: `eks-${name}-${id}`,
    });
    launch(world, n, cluster.clusterSecurityGroupId);
    world.due(n.transitionAt);
    return json({ nodegroup: render(n, world) });
  }],
  ["GET", "/clusters/{name}/node-groups", "ListNodegroups", ({ path, world }) => {
    getCluster(world, path.name!);
    const names = [...world.table<Nodegroup>(NODEGROUP).values()].filter((n) => n.clusterName === path.name).map((n) => n.name);
    return json({ nodegroups: names });
  }],
  ["GET", "/clusters/{name}/node-groups/{ng}", "DescribeNodegroup", ({ path, world }) =>
    json({ nodegroup: render(getNodegroup(world, path.name!, path.ng!), world) })],
  ["DELETE", "/clusters/{name}/node-groups/{ng}", "DeleteNodegroup", ({ path, world }) => {
    const n = getNodegroup(world, path.name!, path.ng!);
    if (n.status !== "DELETING") {
      n.status = "DELETING";
      n.transitionAt = Date.now() + world.delays.eksNodegroupDelete;
      world.due(n.transitionAt);
      world.changed();
    }
    return json({ nodegroup: render(n, world) });
  }],
  ["POST", "/clusters/{name}/node-groups/{ng}/update-config", "UpdateNodegroupConfig", ({ path, body, world }) => {
    const n = getNodegroup(world, path.name!, path.ng!);
    if (n.status !== "ACTIVE") throw new AwsError("ResourceInUseException", `Nodegroup is in ${n.status} state`, 409);
    if (body.scalingConfig) {
      n.spec.scalingConfig = { ...n.spec.scalingConfig, ...body.scalingConfig };
      scale(world, n, getCluster(world, n.clusterName).clusterSecurityGroupId);
    }
    if (body.updateConfig) n.spec.updateConfig = body.updateConfig;
    if (body.labels) {
      const labels = { ...n.spec.labels, ...body.labels.addOrUpdateLabels };
      for (const k of body.labels.removeLabels ?? []) delete labels[k];
      n.spec.labels = labels;
    }
    if (body.taints) {
      const removed = new Set((body.taints.removeTaints ?? []).map((t: { key: string }) => t.key));
      const added = body.taints.addOrUpdateTaints ?? [];
      const addedKeys = new Set(added.map((t: { key: string }) => t.key));
      n.spec.taints = [...(n.spec.taints ?? []).filter((t: { key: string }) => !removed.has(t.key) && !addedKeys.has(t.key)), ...added];
    }
    return update(world, n, "ConfigUpdate");
  }],
  ["POST", "/clusters/{name}/node-groups/{ng}/update-version", "UpdateNodegroupVersion", ({ path, body, world }) => {
    const n = getNodegroup(world, path.name!, path.ng!);
    if (n.status !== "ACTIVE") throw new AwsError("ResourceInUseException", `Nodegroup is in ${n.status} state`, 409);
    if (body.version) n.spec.version = body.version;
    if (body.releaseVersion) n.spec.releaseVersion = body.releaseVersion;
    if (body.launchTemplate) n.spec.launchTemplate = body.launchTemplate;
    return update(world, n, "VersionUpdate");
  }],
];
