// Destroy's sweeps and failure handling on the sandbox, in process: what the AWS Load Balancer Controller leaves,
// network interfaces waited out before subnets go, --force, and a failure a rerun recovers from.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { destroy, type DestroyReport } from "../../src/destroy/destroy.ts";
import { Stack } from "../drift/harness.ts";

const T = 180_000;
const ARN = "arn:aws:elasticloadbalancing:us-west-2:123456789012";

let s: Stack;
beforeAll(async () => {
  s = await Stack.start();
}, T);
afterAll(() => s.stop());

const run = (force = false) =>
  destroy(s.loaded, s.provider, s.backend, {
    dryRun: false, yes: true, force, prompter: { interactive: false, ask: async () => "" }, env: s.env, log: s.log(), lockTimeoutMs: 0, waitMs: 20_000,
  });
const failure = (p: Promise<DestroyReport>) => p.then(() => undefined, (err: NicError) => ({ code: err.code, details: err.details as { left: string[]; failed: Array<{ step: string }> } }));
const calls = async () => (await s.control("/calls")).calls as Array<{ action: string; error?: string }>;
const fault = (rule: Record<string, unknown>) => s.control("/faults", rule);
const clearFaults = () => fetch(`${s.sandbox.controlEndpoint}/faults`, { method: "DELETE" });

test("the Load Balancer Controller's leftovers are swept (target groups once their load balancer is gone); other clusters' are not", async () => {
  await s.deploy();
  const vpcId = (await s.state()).resources["aws/vpc/main"]!.provider_id;
  const ours = { "elbv2.k8s.aws/cluster": "nic-dev", "kubernetes.io/cluster/nic-dev": "owned" };
  const world = s.sandbox.world;
  world.put({ type: "elbv2:target-group", id: "tg", name: "k8s-dev-web", arn: `${ARN}:targetgroup/k8s-dev-web/1`, vpcId, tags: ours });
  world.put({ type: "elbv2:load-balancer", id: "lb", name: "k8s-dev-web", arn: `${ARN}:loadbalancer/net/k8s-dev-web/1`, dnsName: "x", vpcId, lbType: "network", targetGroupArns: [`${ARN}:targetgroup/k8s-dev-web/1`], tags: ours });
  world.put({ type: "elbv2:load-balancer", id: "other", name: "other", arn: `${ARN}:loadbalancer/net/other/2`, dnsName: "y", vpcId: "vpc-elsewhere", lbType: "network", tags: { "elbv2.k8s.aws/cluster": "other" } });
  await fetch(`${s.sandbox.controlEndpoint}/calls`, { method: "DELETE" });

  const report = await run();
  expect(report.swept).toEqual(expect.arrayContaining([`elbv2:${ARN}:loadbalancer/net/k8s-dev-web/1`, `target-group:${ARN}:targetgroup/k8s-dev-web/1`]));
  expect(report.swept.some((x) => x.includes("other"))).toBe(false);
  expect((await s.inventory()).map((r) => `${r.type}:${r.id}`)).toEqual(["elbv2:load-balancer:other"]);
  world.remove("elbv2:load-balancer", "other");
  // Node-group interfaces linger after their node groups; subnets and groups were deleted only once they were gone.
  const log = await calls();
  expect(log.filter((c) => c.action === "DescribeNetworkInterfaces").length).toBeGreaterThan(0);
  expect(log.filter((c) => /^Delete(Subnet|SecurityGroup)$/.test(c.action) && c.error === "DependencyViolation")).toEqual([]);
}, T);

test("a failing sweep stops before anything tracked is deleted; --force tears down anyway and still fails, naming the failure", async () => {
  await s.deploy();
  const tracked = Object.keys((await s.state()).resources).length;
  await fault({ service: "elasticloadbalancing", action: "DescribeLoadBalancers", kind: "error", code: "AccessDenied", status: 403 });

  const stopped = await failure(run());
  expect(stopped?.code).toBe("DESTROY_INCOMPLETE");
  expect(stopped?.details.failed.map((f) => f.step)).toEqual(["sweeping load balancers, NAT gateways and Elastic IPs"]);
  expect(Object.keys((await s.state()).resources).length).toBe(tracked);

  const forced = await failure(run(true));
  expect(forced?.code).toBe("DESTROY_INCOMPLETE");
  expect(forced?.details.failed.map((f) => f.step)).toEqual(["sweeping load balancers, NAT gateways and Elastic IPs", "the last sweep"]);
  expect(forced?.details.left).toEqual([]);
  expect(await s.inventory()).toEqual([]);
  await clearFaults();
}, T);

test("a deletion that keeps failing leaves it (and only it) in state; the rerun finishes once the cause is gone", async () => {
  await s.deploy();
  await fault({ service: "ec2", action: "DeleteVpc", kind: "error", code: "UnauthorizedOperation", status: 403 });
  const failed = await failure(run());
  expect(failed?.code).toBe("DESTROY_INCOMPLETE");
  expect(failed?.details.left).toEqual(["aws/vpc/main"]);
  expect((await s.inventory()).map((r) => r.type).sort()).toEqual(["ec2:network-acl", "ec2:route-table", "ec2:security-group", "ec2:vpc"]);
  await clearFaults();
  const report = await run();
  expect(report.deleted).toEqual(["aws/vpc/main"]);
  expect(await s.inventory()).toEqual([]);
}, T);

test("when the cloud cannot be read, nothing is deleted and the error says which read failed", async () => {
  await s.deploy();
  const tracked = Object.keys((await s.state()).resources).length;
  await fault({ service: "ec2", action: "DescribeVpcs", kind: "error", code: "UnauthorizedOperation", status: 403 });
  const failed = await failure(run(true));
  await clearFaults();
  expect(failed?.code).toBe("DESTROY_INCOMPLETE");
  expect(failed?.details.failed.map((f) => f.step)).toEqual(["reading the cloud"]);
  expect(Object.keys((await s.state()).resources).length).toBe(tracked);
  await run();
  expect(await s.inventory()).toEqual([]);
}, T);
