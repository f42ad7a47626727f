// In-place updates on the sandbox (tags everywhere, cluster endpoint access and version) and the transient errors
// the kinds must ride out (IAM eventual consistency on CreateCluster, throttled CreateNodegroup).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { configFrom, Deployment, isMutating } from "./harness.ts";

const T = 60_000;
const yaml = (extra: string, version = "1.31") => `project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '${version}'
${extra}  node_groups:
    general: {instance: t3.xlarge, min_nodes: 1, max_nodes: 1}
    user: {instance: t3.large, min_nodes: 0, max_nodes: 3}
`;

let d: Deployment;
beforeAll(async () => {
  d = await Deployment.start();
});
afterAll(async () => {
  await d.stop();
});

const fault = (rule: Record<string, unknown>) => d.control("/faults", { method: "POST", body: JSON.stringify(rule) });
const changed = (entries: { action: string; address: string }[]) => entries.filter((e) => e.action !== "no-op").map((e) => e.address);

test("a create rides out IAM eventual consistency on CreateCluster and throttled CreateNodegroup calls", async () => {
  await fault({ service: "eks", action: "CreateCluster", kind: "error", code: "InvalidParameterException", status: 400, message: "Role with arn: arn:aws:iam::123456789012:role/nic-dev-eks-cluster-role, does not exist.", times: 2 });
  await fault({ service: "eks", action: "CreateNodegroup", kind: "throttle", times: 2 });
  const { result } = await d.deploy(configFrom(yaml("")));
  expect(result.failed).toEqual([]);
  const calls = await d.calls();
  expect(calls.filter((c) => c.action === "CreateCluster").map((c) => c.status)).toEqual([400, 400, 200]);
  expect(calls.filter((c) => c.action === "CreateNodegroup" && c.status === 200)).toHaveLength(2);
  await d.control("/faults", { method: "DELETE" });
}, T);

test("changing the config's tags updates every tagged resource in place, then converges", async () => {
  const tagged = configFrom(yaml("  tags: {team: data}\n"));
  await d.clearCalls();
  const { plan, result } = await d.deploy(tagged);
  expect(plan.summary.replace + plan.summary.add + plan.summary.destroy).toBe(0);
  expect(plan.summary.change).toBe(plan.entries.filter((e) => Object.keys((e.desired?.attributes.tags ?? {}) as object).length && e.kind !== "aws/autoscaling_group_tags").length);
  expect(result.failed).toEqual([]);
  const actions = new Set((await d.calls()).filter(isMutating).map((c) => c.action));
  expect([...actions].sort()).toEqual(["CreateTags", "Tag", "TagOpenIDConnectProvider", "TagResource", "TagRole"]);
  expect(changed((await d.plan(tagged)).plan.entries)).toEqual([]);
}, T);

test("endpoint access and CIDRs change with one UpdateClusterConfig; the version with one UpdateClusterVersion", async () => {
  const next = configFrom(yaml("  tags: {team: data}\n  eks_endpoint_access: public_and_private\n  eks_public_access_cidrs: [10.0.0.0/8]\n", "1.32"));
  await d.clearCalls();
  const { plan, result } = await d.deploy(next);
  expect(changed(plan.entries)).toEqual(["aws/eks_cluster/main"]);
  expect(plan.entries.find((e) => e.address === "aws/eks_cluster/main")!.changes.map((c) => c.path).sort()).toEqual([
    "version", "vpc_config.endpoint_private_access", "vpc_config.public_access_cidrs",
  ]);
  expect(result.failed).toEqual([]);
  expect((await d.calls()).filter(isMutating).map((c) => c.action)).toEqual(["UpdateClusterConfig", "UpdateClusterVersion"]);
  expect(changed((await d.plan(next)).plan.entries)).toEqual([]);
}, T);

test("a new VPC CIDR would replace the VPC and, through its subnets, the cluster: both are refused", async () => {
  const { plan } = await d.plan(configFrom(yaml("  vpc_cidr_block: 10.20.0.0/16\n")));
  expect(plan.errors.map((e) => e.address).sort()).toEqual(["aws/eks_cluster/main", "aws/vpc/main"]);
  expect(plan.entries.filter((e) => e.action === "replace").map((e) => e.address)).toContain("aws/subnet/0");
}, T);

test("the OIDC provider's thumbprint is the SHA-1 of the issuer's root certificate", async () => {
  const { X509Certificate } = await import("node:crypto");
  const expected = new X509Certificate(d.sandbox.oidcCaPem).fingerprint.replaceAll(":", "").toLowerCase();
  const oidc = d.state.find((t) => t.address === "aws/iam_openid_connect_provider/main")!;
  expect(oidc.attributes.thumbprint_list).toEqual([expected]);
}, T);

test("add-on configuration changed behind NIC's back is restored with one UpdateAddon", async () => {
  await d.control("/mutate", { method: "POST", body: JSON.stringify({ type: "eks:addon", id: "nic-dev/coredns", set: { configurationValues: "{}" } }) });
  const current = configFrom(yaml("  tags: {team: data}\n  eks_endpoint_access: public_and_private\n  eks_public_access_cidrs: [10.0.0.0/8]\n", "1.32"));
  await d.clearCalls();
  const { plan, result } = await d.deploy(current);
  expect(changed(plan.entries)).toEqual(["aws/eks_addon/coredns"]);
  expect(result.failed).toEqual([]);
  expect((await d.calls()).filter(isMutating).map((c) => c.action)).toEqual(["UpdateAddon"]);
  expect(changed((await d.plan(current)).plan.entries)).toEqual([]);
}, T);
