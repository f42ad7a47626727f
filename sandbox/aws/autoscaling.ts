// Auto Scaling (query protocol, Version=2011-01-01): the groups EKS node groups run on, and their tags.
import { AwsError } from "../protocols/errors.ts";
import { list, page } from "../protocols/query.ts";
import { uuid, type Resource, type World } from "../world.ts";
import { queryService } from "./service.ts";

export interface AutoScalingGroup extends Resource {
  arn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  subnetIds: string[];
  /** Keys of tags with PropagateAtLaunch=true. */
  propagated: string[];
  instances: { instanceId: string; availabilityZone: string; instanceType: string }[];
  createdTime: string;
}

const TYPE = "autoscaling:group";

export function createAutoScalingGroup(
  world: World,
  opts: { name: string; minSize: number; maxSize: number; desiredCapacity: number; subnetIds: string[]; tags: Record<string, string>; instances: AutoScalingGroup["instances"] },
): AutoScalingGroup {
  return world.put<AutoScalingGroup>({
    type: TYPE,
    id: opts.name,
    name: opts.name,
    arn: `arn:aws:autoscaling:${world.region}:${world.account}:autoScalingGroup:${uuid()}:autoScalingGroupName/${opts.name}`,
    minSize: opts.minSize,
    maxSize: opts.maxSize,
    desiredCapacity: opts.desiredCapacity,
    subnetIds: opts.subnetIds,
    tags: opts.tags,
    propagated: Object.keys(opts.tags),
    instances: opts.instances,
    createdTime: new Date().toISOString(),
  });
}

const tagMembers = (g: AutoScalingGroup) =>
  Object.entries(g.tags).map(([Key, Value]) => ({ ResourceId: g.id, ResourceType: "auto-scaling-group", Key, Value, PropagateAtLaunch: g.propagated.includes(Key) }));

const render = (g: AutoScalingGroup, world: World) => ({
  AutoScalingGroupName: g.id,
  AutoScalingGroupARN: g.arn,
  MinSize: g.minSize,
  MaxSize: g.maxSize,
  DesiredCapacity: g.desiredCapacity,
  DefaultCooldown: 300,
  AvailabilityZones: [...new Set(g.instances.map((i) => i.availabilityZone))],
  HealthCheckType: "EC2",
  HealthCheckGracePeriod: 15,
  VPCZoneIdentifier: g.subnetIds.join(","),
  CreatedTime: g.createdTime,
  Instances: g.instances.map((i) => ({
    InstanceId: i.instanceId,
    InstanceType: i.instanceType,
    AvailabilityZone: i.availabilityZone,
    LifecycleState: "InService",
    HealthStatus: "Healthy",
    ProtectedFromScaleIn: false,
  })),
  Tags: tagMembers(g),
  TerminationPolicies: ["AllocationStrategy", "OldestLaunchTemplate", "OldestInstance"],
  NewInstancesProtectedFromScaleIn: false,
  ServiceLinkedRoleARN: `arn:aws:iam::${world.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
  CapacityRebalance: true,
});

function group(world: World, name: string): AutoScalingGroup {
  const g = world.table<AutoScalingGroup>(TYPE).get(name);
  if (!g) throw new AwsError("ValidationError", `AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
  return g;
}

function filterGroups(groups: AutoScalingGroup[], filters: { Name: string; Values?: string[] }[]) {
  return groups.filter((g) =>
    filters.every(({ Name, Values }) => {
      const wanted = list<string>(Values);
      if (Name.startsWith("tag:")) return wanted.includes(g.tags[Name.slice(4)] ?? "\0");
      if (Name === "tag-key") return Object.keys(g.tags).some((k) => wanted.includes(k));
      if (Name === "tag-value") return Object.values(g.tags).some((v) => wanted.includes(v));
      if (Name === "auto-scaling-group") return wanted.includes(g.id);
      throw new AwsError("ValidationError", `Filter name ${Name} is not valid`);
    }),
  );
}

export const autoscalingModule = queryService({
  signingName: "autoscaling",
  envName: "AUTO_SCALING",
  xmlns: "http://autoscaling.amazonaws.com/doc/2011-01-01/",
  actions: {
    DescribeAutoScalingGroups(p, world) {
      const names = list<string>(p.AutoScalingGroupNames);
      let groups = [...world.table<AutoScalingGroup>(TYPE).values()];
      if (names.length) groups = groups.filter((g) => names.includes(g.id));
      groups = filterGroups(groups, list<any>(p.Filters));
      const { items, next } = page(groups, p.MaxRecords ?? 50, p.NextToken);
      return { AutoScalingGroups: items.map((g) => render(g, world)), NextToken: next };
    },
    DescribeTags(p, world) {
      const filters = list<any>(p.Filters);
      const tags = [...world.table<AutoScalingGroup>(TYPE).values()].flatMap(tagMembers).filter((t) =>
        filters.every(({ Name, Values }) => {
          const wanted = list<string>(Values);
          const actual = { "auto-scaling-group": t.ResourceId, key: t.Key, value: t.Value, "propagate-at-launch": String(t.PropagateAtLaunch) }[Name as string];
          return actual !== undefined && wanted.includes(actual);
        }),
      );
      const { items, next } = page(tags, p.MaxRecords ?? 50, p.NextToken);
      return { Tags: items, NextToken: next };
    },
    CreateOrUpdateTags(p, world) {
      for (const t of list<any>(p.Tags)) {
        const g = group(world, t.ResourceId);
        g.tags[t.Key] = t.Value ?? "";
        g.propagated = g.propagated.filter((k) => k !== t.Key);
        if (t.PropagateAtLaunch === "true") g.propagated.push(t.Key);
      }
      world.changed();
      return {};
    },
    DeleteTags(p, world) {
      for (const t of list<any>(p.Tags)) {
        const g = group(world, t.ResourceId);
        delete g.tags[t.Key];
        g.propagated = g.propagated.filter((k) => k !== t.Key);
      }
      world.changed();
      return {};
    },
    UpdateAutoScalingGroup(p, world) {
      const g = group(world, p.AutoScalingGroupName);
      if (p.MinSize !== undefined) g.minSize = Number(p.MinSize);
      if (p.MaxSize !== undefined) g.maxSize = Number(p.MaxSize);
      if (p.DesiredCapacity !== undefined) g.desiredCapacity = Number(p.DesiredCapacity);
      world.changed();
      return {};
    },
    SetDesiredCapacity(p, world) {
      const g = group(world, p.AutoScalingGroupName);
      const desired = Number(p.DesiredCapacity);
      if (desired < g.minSize || desired > g.maxSize)
        throw new AwsError("ValidationError", `New SetDesiredCapacity value ${desired} is outside the bounds [${g.minSize}, ${g.maxSize}]`);
      g.desiredCapacity = desired;
      world.changed();
      return {};
    },
  },
});
