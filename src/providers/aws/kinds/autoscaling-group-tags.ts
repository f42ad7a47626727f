// aws/autoscaling_group_tags: Nebari's post_deploy step as a resource, so drift sees it: the node-template label tag
// (PropagateAtLaunch) on every Auto Scaling group of a node group. One DescribeAutoScalingGroups for all node groups.
import type * as ASG from "@aws-sdk/client-auto-scaling";
import type { Actual, Resource, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode } from "../errors.ts";

type Tags = Record<string, string>;

export function autoscalingGroupTagsKind(aws: AwsClients): ResourceKind {
  async function groupsOf(clusters: string[], signal: AbortSignal): Promise<ASG.AutoScalingGroup[]> {
    const { sdk, client } = await aws.asg();
    const all: ASG.AutoScalingGroup[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new sdk.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: "tag:eks:cluster-name", Values: clusters }], NextToken }), { abortSignal: signal });
      all.push(...(page.AutoScalingGroups ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return all;
  }
  async function setTags(groups: string[], tags: Tags, signal: AbortSignal) {
    const { sdk, client } = await aws.asg();
    const list = groups.flatMap((g) => Object.entries(tags).map(([Key, Value]) => ({ ResourceId: g, ResourceType: "auto-scaling-group", Key, Value, PropagateAtLaunch: true })));
    if (list.length) await client.send(new sdk.CreateOrUpdateTagsCommand({ Tags: list }), { abortSignal: signal });
  }
  const created = (resource: Resource): Actual => {
    const a = resource.attributes as { cluster_name: string; node_group_name: string };
    return { id: `${a.cluster_name}/${a.node_group_name}`, attributes: { ...resource.attributes } };
  };
  return {
    kind: "aws/autoscaling_group_tags",
    timeoutMs: 3 * 60_000,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      const attributesOf = (l: (typeof batch)[number]) => (l.desired ?? l.tracked)!.attributes as { cluster_name: string; node_group_name: string; tags: Tags };
      const groups = await groupsOf([...new Set(batch.map((l) => attributesOf(l).cluster_name))], signal);
      for (const l of batch) {
        const { cluster_name, node_group_name, tags: managed } = attributesOf(l);
        const mine = groups.filter((g) => g.Tags?.some((t) => t.Key === "eks:cluster-name" && t.Value === cluster_name) && g.Tags?.some((t) => t.Key === "eks:nodegroup-name" && t.Value === node_group_name));
        if (!mine.length) continue;
        // Only the keys NIC manages; a key missing on any group counts as missing.
        const tagged = Object.keys(managed).map((key) => mine.map((g) => g.Tags?.find((t) => t.Key === key)));
        const tags = Object.fromEntries(Object.keys(managed).flatMap((key, i) => (tagged[i]!.every((t) => t) && new Set(tagged[i]!.map((t) => t!.Value)).size === 1 ? [[key, tagged[i]![0]!.Value!]] : [])));
        const propagate = tagged.every((ts) => ts.every((t) => t?.PropagateAtLaunch));
        out.set(l.address, {
          id: `${cluster_name}/${node_group_name}`,
          attributes: { cluster_name, node_group_name, autoscaling_groups: mine.map((g) => g.AutoScalingGroupName!).sort(), tags, propagate_at_launch: propagate },
        });
      }
      return out;
    },
    async create(resource, { signal }) {
      await setTags(resource.attributes.autoscaling_groups as string[], resource.attributes.tags as Tags, signal);
      return created(resource);
    },
    async update(resource, _actual, _changes, { signal }) {
      await setTags(resource.attributes.autoscaling_groups as string[], resource.attributes.tags as Tags, signal);
      return created(resource);
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.asg();
      const groups = actual.attributes.autoscaling_groups as string[];
      const keys = Object.keys(actual.attributes.tags as Tags);
      const list = groups.flatMap((g) => keys.map((Key) => ({ ResourceId: g, ResourceType: "auto-scaling-group", Key })));
      // The groups go away with their node group; then there is nothing to untag.
      if (!list.length) return;
      try {
        await client.send(new sdk.DeleteTagsCommand({ Tags: list }), { abortSignal: signal });
      } catch (err) {
        if (errorCode(err) !== "ValidationError") throw err;
      }
    },
  };
}
