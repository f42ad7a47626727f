// The AWS kinds end to end on the in-process sandbox, through the real engine: create, idempotency (design
// document §5.3), drift, a lost state, outputs, the EKS token, and destroy.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { apply } from "../../../src/engine/apply.ts";
import { observe } from "../../../src/engine/observe.ts";
import { plan } from "../../../src/engine/plan.ts";
import { awsOutputs, eksToken } from "../../../src/providers/aws/index.ts";
import { configFrom, Deployment, isMutating } from "./harness.ts";

const T = 60_000;
const yaml = (nodeGroups: string) => `project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
  tags: {team: data}
  node_groups:
${nodeGroups}`;
const GROUPS = `    general: {instance: t3.xlarge, min_nodes: 1, max_nodes: 1}
    user: {instance: t3.large, min_nodes: 0, max_nodes: 5}
    worker: {instance: t3.large, min_nodes: 0, max_nodes: 5, taints: ["dedicated=worker:NoSchedule"]}
`;
const config = configFrom(yaml(GROUPS));

let d: Deployment;
beforeAll(async () => {
  d = await Deployment.start();
});
afterAll(async () => {
  await d.stop();
});

const mutatingCalls = async () => (await d.calls()).filter(isMutating).map((c) => c.action);
const changed = (p: Awaited<ReturnType<Deployment["plan"]>>["plan"]) => p.entries.filter((e) => e.action !== "no-op").map((e) => `${e.action} ${e.address}`);

test("a fresh create converges", async () => {
  const { plan: p, result } = await d.deploy(config);
  expect(p.summary).toEqual({ add: 37, change: 0, replace: 0, destroy: 0 });
  expect(result.failed).toEqual([]);
  expect(result.success).toBe(true);
  const inventory = await d.inventory();
  expect(inventory.filter((r) => r.type === "eks:nodegroup").map((r) => r.name).sort()).toEqual(["general", "user", "worker"]);
  const asg = inventory.filter((r) => r.type === "autoscaling:group");
  expect(asg.map((g) => g.tags["k8s.io/cluster-autoscaler/node-template/label/dedicated"]).sort()).toEqual(["general", "user", "worker"]);
}, T);

test("a second deploy plans no change and makes zero mutating calls, reading the stack in at most 30 requests", async () => {
  await d.clearCalls();
  const { plan: p, result } = await d.deploy(config);
  expect(changed(p)).toEqual([]);
  expect(result.done).toEqual([]);
  expect(await mutatingCalls()).toEqual([]);
  expect((await d.calls()).length).toBeLessThanOrEqual(30);
}, T);

test("the autoscaler's desired size is never reverted", async () => {
  await d.control("/mutate", { method: "POST", body: JSON.stringify({ type: "eks:nodegroup", id: "nic-dev/user", set: { spec: { scalingConfig: { desiredSize: 3 } } } }) });
  const { plan: p } = await d.plan(config);
  expect(changed(p)).toEqual([]);
}, T);

test("subnets listed in another order (as Terraform creates them) are no change, with or without state", async () => {
  const tracked = d.state.find((t) => t.address === "aws/eks_node_group/user")!;
  const subnets = (tracked.attributes.subnet_ids as string[]).toReversed();
  await d.control("/mutate", { method: "POST", body: JSON.stringify({ type: "eks:nodegroup", id: "nic-dev/user", set: { spec: { subnets } } }) });
  expect(changed((await d.plan(config)).plan)).toEqual([]);
  const saved = d.state;
  d.state = [];
  const { plan: p, actual } = await d.plan(config);
  d.state = saved;
  expect(actual.get("aws/eks_node_group/user")!.attributes.subnet_ids).toEqual(subnets.toReversed());
  expect(p.entries.filter((e) => e.address === "aws/eks_node_group/user").map((e) => e.action)).toEqual(["no-op"]);
}, T);

test("changing max_nodes makes exactly one UpdateNodegroupConfig", async () => {
  const bigger = configFrom(yaml(GROUPS.replace("user: {instance: t3.large, min_nodes: 0, max_nodes: 5}", "user: {instance: t3.large, min_nodes: 0, max_nodes: 7}")));
  await d.clearCalls();
  const { plan: p, result } = await d.deploy(bigger);
  expect(changed(p)).toEqual(["update aws/eks_node_group/user"]);
  expect(p.entries.find((e) => e.action === "update")!.changes.map((c) => [c.path, c.before, c.after])).toEqual([["scaling.max_size", 5, 7]]);
  expect(result.success).toBe(true);
  expect(await mutatingCalls()).toEqual(["UpdateNodegroupConfig"]);
  expect(changed((await d.plan(bigger)).plan)).toEqual([]);
}, T);

test("adding a node group creates exactly that node group (and its autoscaler tags)", async () => {
  const more = configFrom(yaml(GROUPS.replace("max_nodes: 5}\n    worker", "max_nodes: 7}\n    worker") + "    extra: {instance: t3.large, min_nodes: 0, max_nodes: 2}\n"));
  await d.clearCalls();
  const { plan: p, result } = await d.deploy(more);
  expect(changed(p)).toEqual(["create aws/eks_node_group/extra", "create aws/autoscaling_group_tags/extra"]);
  expect(result.success).toBe(true);
  expect(await mutatingCalls()).toEqual(["CreateNodegroup", "CreateOrUpdateTags"]);
  expect(changed((await d.plan(more)).plan)).toEqual([]);
}, T);

test("drift: a tag removed behind NIC's back is put back with one call", async () => {
  const vpc = d.state.find((t) => t.address === "aws/vpc/main")!;
  await d.control("/mutate", { method: "POST", body: JSON.stringify({ type: "ec2:vpc", id: vpc.id, removeTags: ["team"] }) });
  const current = configFrom(yaml(GROUPS.replace("max_nodes: 5}\n    worker", "max_nodes: 7}\n    worker") + "    extra: {instance: t3.large, min_nodes: 0, max_nodes: 2}\n"));
  await d.clearCalls();
  const { plan: p } = await d.deploy(current);
  expect(changed(p)).toEqual(["update aws/vpc/main"]);
  expect(await mutatingCalls()).toEqual(["CreateTags"]);
}, T);

test("a lost state is rebuilt from the cloud without duplicating anything", async () => {
  const before = (await d.inventory()).length;
  const addresses = d.state.map((t) => t.address).sort();
  d.state = [];
  const current = configFrom(yaml(GROUPS.replace("max_nodes: 5}\n    worker", "max_nodes: 7}\n    worker") + "    extra: {instance: t3.large, min_nodes: 0, max_nodes: 2}\n"));
  const { plan: p, result } = await d.deploy(current);
  // Associations and mount targets are found by their subnet when created (create adopts them).
  expect(changed(p).sort()).toEqual(["create aws/efs_mount_target/0", "create aws/efs_mount_target/1", "create aws/route_table_association/0", "create aws/route_table_association/1"]);
  expect(result.success).toBe(true);
  expect(d.state.map((t) => t.address).sort()).toEqual(addresses);
  expect((await d.inventory()).length).toBe(before);
  expect(changed((await d.plan(current)).plan)).toEqual([]);
}, T);

test("outputs come from the settled actual state", async () => {
  const { actual } = await d.plan(config);
  const out = awsOutputs(config, actual);
  const cluster = d.state.find((t) => t.address === "aws/eks_cluster/main")!;
  expect(out.cluster).toMatchObject({ name: "nic-dev", version: "1.31", arn: cluster.arn, endpoint: cluster.attributes.endpoint, oidc_issuer_url: cluster.attributes.oidc_issuer });
  expect(out.cluster.ca_certificate_pem).toStartWith("-----BEGIN CERTIFICATE-----");
  expect(out.networking.vpc_id).toBe(d.state.find((t) => t.address === "aws/vpc/main")!.id);
  expect(out.networking.subnet_ids).toEqual(["aws/subnet/0", "aws/subnet/1"].map((a) => d.state.find((t) => t.address === a)!.id));
  expect(out.storage).toMatchObject({ type: "efs", efs_id: expect.stringMatching(/^fs-/), nfs_endpoint: expect.stringMatching(/^fs-.*\.efs\.us-west-2\.amazonaws\.com$/) });
  expect(out.iam.cluster_autoscaler_role_arn).toBe("arn:aws:iam::123456789012:role/nic-dev-cluster-autoscaler");
  expect(out.iam.oidc_provider_arn).toBe(`arn:aws:iam::123456789012:oidc-provider/${out.cluster.oidc_issuer_url.replace("https://", "")}`);
  expect(out.node_groups.map((g) => g.name)).toEqual(["general", "user", "worker"]);
}, T);

test("the EKS token is a presigned STS GetCallerIdentity URL the sandbox accepts", async () => {
  const token = await eksToken("nic-dev", "us-west-2", d.sandbox.env);
  expect(token).toStartWith("k8s-aws-v1.");
  expect(token).not.toContain("=");
  const url = new URL(Buffer.from(token.slice("k8s-aws-v1.".length), "base64url").toString());
  expect(url.searchParams.get("Action")).toBe("GetCallerIdentity");
  expect(url.searchParams.get("X-Amz-Expires")).toBe("60");
  expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("host;x-k8s-aws-id");
  const answer = await fetch(url, { headers: { "x-k8s-aws-id": "nic-dev" } });
  expect(answer.status).toBe(200);
}, T);

test("destroying everything leaves no resource behind (lingering ENIs are waited out)", async () => {
  const signal = new AbortController().signal;
  const actual = await observe(d.kinds, [], d.state, signal);
  const p = plan([], actual, { resources: d.state });
  expect(p.summary.destroy).toBe(39);
  const result = await apply(p, { kinds: d.kinds });
  expect(result.failed).toEqual([]);
  const left = (await d.inventory()).map((r) => r.type).filter((t) => !t.startsWith("s3:"));
  expect(left).toEqual([]);
}, T);
