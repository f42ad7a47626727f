// `nic destroy` end to end, as a user runs it (the CLI in a subprocess) against a stack deployed on the sandbox:
// refusal without confirmation, the dry-run order, a LoadBalancer service and orphans Kubernetes left in the VPC,
// and kill -9 in the middle followed by a rerun.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Stack } from "../drift/harness.ts";

const T = 180_000;
const CLUSTER_TAG = "kubernetes.io/cluster/nic-dev";

let s: Stack;
beforeAll(async () => {
  s = await Stack.start();
  await s.deploy();
}, T);
afterAll(() => s.stop());

const sdkConfig = () => ({
  region: "us-west-2",
  endpoint: s.sandbox.awsEndpoint,
  credentials: { accessKeyId: s.env.AWS_ACCESS_KEY_ID!, secretAccessKey: s.env.AWS_SECRET_ACCESS_KEY! },
});

/** The sandbox keeps a deleted NAT gateway visible for a while, as AWS does; wait that out. */
async function settledInventory(): Promise<string[]> {
  for (let i = 0; ; i++) {
    const left = (await s.inventory()).map((r) => `${r.type}:${r.id}`);
    if (!left.length || i >= 40) return left;
    await Bun.sleep(500);
  }
}

test("without a terminal and without --yes it refuses with exit 3 and deletes nothing", async () => {
  const before = await s.inventory();
  const serial = (await s.state()).serial;
  const r = await s.run(["destroy", "--format", "json"]);
  expect(r.code).toBe(3);
  expect(JSON.parse(r.stdout).error.code).toBe("DESTROY_REFUSED");
  expect((await s.inventory()).length).toBe(before.length);
  expect((await s.state()).serial).toBe(serial);
}, T);

test("--dry-run lists what would be deleted, in dependency order, and deletes nothing", async () => {
  const before = (await s.inventory()).length;
  const r = await s.run(["destroy", "--dry-run", "--format", "json"]);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout);
  expect(result.sweeps[0]).toContain("LoadBalancer");
  const order: string[] = result.order.map((o: { address: string }) => o.address);
  const at = (address: string) => {
    expect(order).toContain(address);
    return order.indexOf(address);
  };
  expect(at("aws/eks_node_group/user")).toBeLessThan(at("aws/eks_cluster/main"));
  expect(at("aws/eks_cluster/main")).toBeLessThan(at("aws/subnet/0"));
  expect(at("aws/efs_mount_target/0")).toBeLessThan(at("aws/subnet/0"));
  expect(at("aws/subnet/0")).toBeLessThan(at("aws/vpc/main"));
  expect(at("aws/security_group/main")).toBeLessThan(at("aws/vpc/main"));
  // The one graph in reverse: stage 03's objects before the cluster they run on (they go with it).
  expect(at("k8s/namespace/_cluster/dev")).toBeLessThan(at("aws/eks_cluster/main"));
  expect(result.order[at("k8s/namespace/_cluster/dev")].note).toBe("goes with the cluster");
  expect(order.length).toBe(Object.keys((await s.state()).resources).length);
  expect((await s.inventory()).length).toBe(before);
}, T);

test("a LoadBalancer service, an orphaned tagged load balancer, a NAT gateway and its Elastic IP: destroy empties the sandbox", async () => {
  const kubectl = await s.kubectl();
  await kubectl.request("POST", "/api/v1/namespaces/default/services", {
    body: { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "LoadBalancer", ports: [{ port: 80 }] } },
  });
  // What a cloud controller leaves behind when it loses track: a tagged ELB, its k8s-elb- group, and the rule NIC's group got.
  const state = await s.state();
  const vpcId = state.resources["aws/vpc/main"]!.provider_id;
  const subnetId = state.resources["aws/subnet/0"]!.provider_id;
  const nicGroup = state.resources["aws/security_group/main"]!.provider_id;
  const ec2 = await import("@aws-sdk/client-ec2");
  const elb = await import("@aws-sdk/client-elastic-load-balancing");
  const ec2Client = new ec2.EC2Client(sdkConfig());
  const tags = [{ Key: CLUSTER_TAG, Value: "owned" }];
  const { GroupId } = await ec2Client.send(new ec2.CreateSecurityGroupCommand({ GroupName: "k8s-elb-orphan", Description: "orphan", VpcId: vpcId, TagSpecifications: [{ ResourceType: "security-group", Tags: tags }] }));
  await ec2Client.send(new ec2.AuthorizeSecurityGroupIngressCommand({ GroupId: nicGroup, IpPermissions: [{ IpProtocol: "tcp", FromPort: 30080, ToPort: 30080, UserIdGroupPairs: [{ GroupId }] }] }));
  await new elb.ElasticLoadBalancingClient(sdkConfig()).send(
    new elb.CreateLoadBalancerCommand({ LoadBalancerName: "orphan", Subnets: [subnetId], SecurityGroups: [GroupId!], Tags: tags, Listeners: [{ Protocol: "TCP", LoadBalancerPort: 80, InstancePort: 30080 }] }),
  );
  const { AllocationId } = await ec2Client.send(new ec2.AllocateAddressCommand({ Domain: "vpc", TagSpecifications: [{ ResourceType: "elastic-ip", Tags: tags }] }));
  await ec2Client.send(new ec2.CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId }));
  const types = (await s.inventory()).map((r) => r.type);
  expect(types.filter((t) => t === "elb:load-balancer")).toHaveLength(2);
  expect(types).toContain("ec2:nat-gateway");

  const r = await s.run(["destroy", "--yes", "--format", "json"]);
  expect(r.stderr).not.toContain('"level":"error"');
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout);
  expect(result.left).toEqual([]);
  expect(result.swept).toContain("service:default/web");
  // Walked as one graph: every Kubernetes object leaves the state before the cluster's deletion starts.
  const events = r.stderr.split("\n").filter((l) => l.startsWith("{")).flatMap((l) => JSON.parse(l).event ?? []) as Array<{ type: string; address: string }>;
  const clusterStarted = events.findIndex((e) => e.type === "started" && e.address === "aws/eks_cluster/main");
  const kubernetesDone = events.flatMap((e, i) => (e.type === "done" && e.address.startsWith("k8s/") ? [i] : []));
  expect(kubernetesDone.length).toBeGreaterThan(5);
  expect(Math.max(...kubernetesDone)).toBeLessThan(clusterStarted);
  expect(result.deleted.some((a: string) => a.startsWith("k8s/"))).toBe(false); // forgotten, not deleted one by one
  expect(result.swept).toContain("elb:orphan");
  expect(result.swept).toContain(`security-group:${GroupId}`);
  expect(result.swept).toContain(`elastic-ip:${AllocationId}`);
  expect(await settledInventory()).toEqual([]);
  expect(Object.keys((await s.state()).resources)).toEqual([]);
}, T);

// What a deploy interrupted while CreateRouteTable was answered leaves (found by a loaded test run): the route table
// exists, the state has only the journal entry of its create. The teardown must find and delete it, or the VPC's
// deletion fails on it for as long as the destroy keeps retrying.
test("a create an interrupted deploy journaled but never recorded is found and deleted too: the VPC goes", async () => {
  await s.deploy();
  const state = await s.state();
  const address = "aws/route_table/main";
  expect(state.resources[address]).toBeDefined();
  delete state.resources[address];
  const at = new Date(Date.now() - 120_000).toISOString();
  state.pending_operations = [
    { id: crypto.randomUUID(), address, kind: "aws/route_table", operation: "create", idempotency_token: crypto.randomUUID(), started_at: at, in_flight_until: at, unknown_reason: "cancelled" },
  ];
  await Bun.write(s.statePath, JSON.stringify(state, null, 2));

  const r = await s.run(["destroy", "--yes", "--format", "json"]);
  expect(r.code, r.stdout.slice(0, 1500)).toBe(0);
  expect(r.stderr).toContain(address);
  expect(await settledInventory()).toEqual([]);
  expect((await s.state()).pending_operations).toEqual([]);
}, T);

test("kill -9 in the middle of a destroy: the rerun (after breaking the dead run's lock) finishes the job", async () => {
  await s.deploy();
  const proc = s.cli(["destroy", "--yes", "--format", "json", "--parallelism", "1"]);
  const reader = proc.stderr.getReader();
  let log = "";
  // Kubernetes objects are only forgotten (they go with the cluster): wait for a cloud resource's deletion.
  while (!/"type":"done","address":"aws\/[^"]+","operation":"delete"/.test(log)) {
    const { value, done } = await reader.read();
    if (done) break;
    log += new TextDecoder().decode(value);
  }
  proc.kill("SIGKILL");
  await proc.exited;
  const left = Object.keys((await s.state()).resources);
  expect(left.length).toBeGreaterThan(0);
  expect((await s.inventory()).length).toBeGreaterThan(0);

  const locked = await s.run(["destroy", "--yes", "--format", "json"]);
  expect(locked.code).toBe(4);
  expect(JSON.parse(locked.stdout).error.details.stale).toBe(true);
  expect((await s.run(["state", "unlock", "--force"])).code).toBe(0);

  const rerun = await s.run(["destroy", "--yes", "--format", "json"]);
  expect(rerun.code).toBe(0);
  expect(JSON.parse(rerun.stdout).left).toEqual([]);
  expect(await settledInventory()).toEqual([]);
  expect((await s.state()).pending_operations).toEqual([]);
}, T);
