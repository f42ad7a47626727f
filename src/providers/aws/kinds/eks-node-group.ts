// aws/eks_node_group: a managed node group. The autoscaler owns desired_size: updates send min/max and touch
// desired only when it falls outside the new bounds.
import type * as EKS from "@aws-sdk/client-eks";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import { sameValue } from "../../../engine/compare.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { poll } from "../poll.ts";
import { ownTags, tagChanges } from "../tags.ts";
import { tagEks, untagEks, untilUpdated } from "./eks-common.ts";
import { inOrderSent, inSubnetOrder } from "./subnet-order.ts";

const TIMEOUT_MS = 15 * 60_000;
type Taint = { key: string; value: string | null; effect: string };
type Scaling = { min_size: number; desired_size: number; max_size: number };

/** `sent`: the subnet list NIC sent or recorded, whose order the result keeps. */
function nodeGroupActual(n: EKS.Nodegroup, sent?: unknown): Actual {
  return {
    id: `${n.clusterName}/${n.nodegroupName}`,
    arn: n.nodegroupArn,
    attributes: {
      cluster_name: n.clusterName,
      node_group_name: n.nodegroupName,
      node_role_arn: n.nodeRole,
      subnet_ids: inOrderSent(n.subnets ?? [], sent),
      instance_types: [...(n.instanceTypes ?? [])].sort(),
      capacity_type: n.capacityType,
      ami_type: n.amiType,
      disk_size: n.diskSize ?? null,
      scaling: { min_size: n.scalingConfig?.minSize, desired_size: n.scalingConfig?.desiredSize, max_size: n.scalingConfig?.maxSize },
      taints: (n.taints ?? []).map((t) => ({ key: t.key, value: t.value ?? null, effect: t.effect })).sort((a, b) => String(a.key).localeCompare(String(b.key))),
      labels: n.labels ?? {},
      tags: ownTags(n.tags),
      status: n.status,
      autoscaling_groups: (n.resources?.autoScalingGroups ?? []).map((g) => g.name!).sort(),
      health_issues: (n.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`),
    },
  };
}

export function eksNodeGroupKind(aws: AwsClients): ResourceKind {
  async function describe(cluster: string, name: string, signal: AbortSignal) {
    const { sdk, client } = await aws.eks();
    const r = await orNotFound(() => client.send(new sdk.DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }), { abortSignal: signal }));
    return r?.nodegroup;
  }
  const split = (id: string) => id.split("/") as [string, string];
  const untilActive = (id: string, signal: AbortSignal, sent: unknown) =>
    poll(`node group ${id}`, async () => {
      const n = await describe(...split(id), signal);
      if (!n) throw new Error(`node group ${id} disappeared while settling`);
      // Fail fast with EKS's own reasons instead of waiting out the timeout.
      if (n.status === "CREATE_FAILED" || n.status === "DEGRADED") throw new Error(`node group ${id} is ${n.status}: ${nodeGroupActual(n).attributes.health_issues}`);
      return n.status === "ACTIVE" ? nodeGroupActual(n, sent) : undefined;
    }, signal, TIMEOUT_MS);
  return {
    kind: "aws/eks_node_group",
    createsOnce: true, // see engine/types.ts
    timeoutMs: TIMEOUT_MS,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const [cluster, name] = l.tracked ? split(l.tracked.id) : [String(l.desired?.attributes.cluster_name), String(l.desired?.attributes.node_group_name)];
          const n = await describe(cluster, name, signal);
          if (!n) return;
          const actual = nodeGroupActual(n);
          if (n.status === "DELETING") return void out.set(l.address, { ...actual, deleting: true });
          actual.attributes.subnet_ids = await inSubnetOrder(aws, actual.attributes.subnet_ids as string[], l.desired?.attributes.subnet_ids, l.tracked?.attributes.subnet_ids, signal);
          out.set(l.address, actual);
        }),
      );
      return out;
    },
    async create(resource, { signal, requestToken }) {
      const { sdk, client } = await aws.eks();
      const a = resource.attributes as any;
      try {
        const { nodegroup } = await client.send(
          new sdk.CreateNodegroupCommand({
            clusterName: a.cluster_name,
            nodegroupName: a.node_group_name,
            nodeRole: a.node_role_arn,
            subnets: a.subnet_ids,
            instanceTypes: a.instance_types,
            capacityType: a.capacity_type,
            amiType: a.ami_type,
            diskSize: a.disk_size,
            scalingConfig: { minSize: a.scaling.min_size, desiredSize: a.scaling.desired_size, maxSize: a.scaling.max_size },
            taints: a.taints.map((t: Taint) => ({ key: t.key, ...(t.value !== null && { value: t.value }), effect: t.effect })),
            labels: a.labels,
            tags: a.tags,
            clientRequestToken: requestToken,
          }),
          { abortSignal: signal },
        );
        return nodeGroupActual(nodegroup!, a.subnet_ids);
      } catch (err) {
        const existing = errorCode(err) === "ResourceInUseException" ? await describe(a.cluster_name, a.node_group_name, signal) : undefined;
        if (existing) return nodeGroupActual(existing, a.subnet_ids);
        throw err;
      }
    },
    async update(resource, actual, _changes, { signal, requestToken }) {
      const { sdk, client } = await aws.eks();
      const a = resource.attributes as any;
      // Found still creating or updating (a killed run, an EKS-side update): nothing can change until it settles.
      const settled = actual.attributes.status === "ACTIVE" ? actual : await untilActive(actual.id, signal, actual.attributes.subnet_ids);
      const before = settled.attributes as any;
      const [clusterName, nodegroupName] = split(actual.id);
      const config: EKS.UpdateNodegroupConfigRequest = { clusterName, nodegroupName, clientRequestToken: requestToken };
      const want: Scaling = a.scaling;
      const have: Scaling = before.scaling;
      if (want.min_size !== have.min_size || want.max_size !== have.max_size) {
        const desired = Math.min(Math.max(have.desired_size, want.min_size), want.max_size);
        config.scalingConfig = { minSize: want.min_size, maxSize: want.max_size, ...(desired !== have.desired_size && { desiredSize: desired }) };
      }
      if (!sameValue(a.labels, before.labels)) {
        const { set, remove } = tagChanges(before.labels, a.labels);
        config.labels = { addOrUpdateLabels: set, removeLabels: remove };
      }
      if (!sameValue(a.taints, before.taints)) {
        const keys = new Set(a.taints.map((t: Taint) => t.key));
        config.taints = {
          addOrUpdateTaints: a.taints.map((t: Taint) => ({ key: t.key, ...(t.value !== null && { value: t.value }), effect: t.effect })),
          removeTaints: before.taints.filter((t: Taint) => !keys.has(t.key)).map((t: Taint) => ({ key: t.key, ...(t.value !== null && { value: t.value }), effect: t.effect })),
        };
      }
      let result = settled;
      if (config.scalingConfig || config.labels || config.taints) {
        const { update } = await client.send(new sdk.UpdateNodegroupConfigCommand(config), { abortSignal: signal });
        await untilUpdated(aws, { name: clusterName, nodegroupName, updateId: update!.id! }, signal, TIMEOUT_MS);
        result = await untilActive(actual.id, signal, a.subnet_ids);
      }
      const tags = tagChanges(before.tags, a.tags);
      await untagEks(aws, actual.arn!, tags.remove, signal);
      await tagEks(aws, actual.arn!, tags.set, signal);
      return { ...result, attributes: { ...result.attributes, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.eks();
      const [clusterName, nodegroupName] = split(actual.id);
      await ignoreNotFound(() => client.send(new sdk.DeleteNodegroupCommand({ clusterName, nodegroupName }), { abortSignal: signal }));
    },
    async wait(actual, operation, { signal }) {
      if (operation !== "delete") return untilActive(actual.id, signal, actual.attributes.subnet_ids);
      await poll(`node group ${actual.id} deletion`, async () => ((await describe(...split(actual.id), signal)) ? undefined : actual), signal, TIMEOUT_MS);
      return actual;
    },
  };
}
