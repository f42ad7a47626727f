// The one graph of both stages, as the AWS provider declares it: pure (no cloud, no cluster).
import { expect, test } from "bun:test";
import { kubernetesDesired } from "../../src/deploy/graph.ts";
import { sections } from "../../src/deploy/sections.ts";
import { awsProvider } from "../../src/providers/adapters/aws.ts";
import { criticalPath } from "../../src/engine/critical-path.ts";
import { plan } from "../../src/engine/plan.ts";
import { dependenciesOf } from "../../src/engine/refs.ts";
import type { Resource } from "../../src/engine/types.ts";
import { aws } from "../kubernetes/configs.ts";

const CLUSTER = "aws/eks_cluster/main";
const ROLE = "aws/iam_role/cluster_autoscaler";
const SERVICE_ACCOUNT = "k8s/serviceaccount/dev/cluster-autoscaler";
const DEPLOYMENT = "k8s/deployment/dev/cluster-autoscaler-aws-cluster-autoscaler";
const DEVICE_PLUGIN = "k8s/daemonset/kube-system/nvidia-device-plugin-daemonset-1.12";

async function graph(opts: { waitForWorkloads?: boolean } = {}) {
  const config = aws({ gpu: true });
  const links = awsProvider.clusterLinks!(config);
  const desired = [...awsProvider.desired(config), ...(await kubernetesDesired(config, links, opts))];
  return { desired, byAddress: new Map(desired.map((r) => [r.address, r])) };
}

const needs = (r: Resource | undefined) => dependenciesOf(r!).sort();

test("each Kubernetes object needs the cluster, and only what it really needs from stage 02", async () => {
  const { desired, byAddress } = await graph();
  for (const r of desired.filter((r) => r.address.startsWith("k8s/"))) {
    expect(dependenciesOf(r)).toContain(CLUSTER);
    expect(dependenciesOf(r).filter((d) => d.startsWith("aws/")).every((d) => d === CLUSTER || (r.address === SERVICE_ACCOUNT && d === ROLE))).toBe(true);
  }
  expect(needs(byAddress.get(SERVICE_ACCOUNT))).toEqual([CLUSTER, ROLE, "k8s/namespace/_cluster/dev"]);
  expect(needs(byAddress.get(DEVICE_PLUGIN))).toEqual([CLUSTER]); // a DaemonSet may exist before its nodes
  expect(needs(byAddress.get(DEPLOYMENT)).some((d) => d.startsWith("aws/eks_node_group/"))).toBe(false);
});

test("a Deployment waited for (--wait) also needs the node groups", async () => {
  const { byAddress } = await graph({ waitForWorkloads: true });
  expect(needs(byAddress.get(DEPLOYMENT)).filter((d) => d.startsWith("aws/eks_node_group/"))).toEqual([
    "aws/eks_node_group/general", "aws/eks_node_group/gpu-a", "aws/eks_node_group/user",
  ]);
});

test("a create plans the IRSA annotation as known after apply, and cuts into cloud and kubernetes sections", async () => {
  const { desired } = await graph();
  const p = plan(desired, new Map(), { resources: [] });
  const sa = p.entries.find((e) => e.address === SERVICE_ACCOUNT)!;
  expect(sa.changes.find((c) => c.path === 'metadata.annotations["eks.amazonaws.com/role-arn"]')?.after).toEqual({ $unknown: `${ROLE}.arn` });
  const [cloud, kubernetes] = sections(p);
  expect(cloud!.plan.entries.every((e) => e.address.startsWith("aws/"))).toBe(true);
  expect(kubernetes!.plan.entries.every((e) => e.address.startsWith("k8s/"))).toBe(true);
  expect(cloud!.plan.summary.add + kubernetes!.plan.summary.add).toBe(p.summary.add);
});

test("Kubernetes init is off the critical path: it runs beside the node groups", async () => {
  const { desired } = await graph();
  const p = plan(desired, new Map(), { resources: [] });
  // Minutes as on AWS: the cluster 10, node groups 4, add-ons 1.5; everything else (Kubernetes objects included) 1 s.
  const cost = (s: { address: string }) => (s.address === CLUSTER ? 600 : s.address.startsWith("aws/eks_node_group/") ? 240 : s.address.startsWith("aws/eks_addon/") ? 90 : 1);
  const path = criticalPath(p, cost);
  expect(path.steps.some((s) => s.address.startsWith("k8s/"))).toBe(false);
  expect(path.steps.map((s) => s.address)).toContain("aws/eks_node_group/general");
});
