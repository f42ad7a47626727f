// R3 faults (the CI subset; bench/soak.ts runs 10): deploys under throttling, 5xx and jittered latency on every AWS service
// succeed and leave nothing to do; a permanent AccessDenied on CreateCluster fails cleanly, recording what was created.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { existsSync, readFileSync } from "node:fs";
import { nicAsync } from "../helpers/binary.ts";
import { prng } from "./generate.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(async () => {
  await stack?.stop();
});

test.each([1, 2, 3])("deploy %d under 10 percent throttling, 5 percent 5xx and jittered latency succeeds and converges", async (seed) => {
  await stack.reset();
  await stack.injectNoise(prng(seed));
  const run = await stack.deploy();
  const hit = await stack.faultsHit();
  const calls = (await stack.control("/calls")).calls.length;
  console.log(`R3: deploy ${seed}: exit ${run.code}, ${hit} of ${calls} AWS calls faulted`);
  expect(run.code, run.stdout.slice(0, 2000)).toBe(0);
  expect(JSON.parse(run.stdout).success).toBe(true);
  expect(hit).toBeGreaterThan(0);
  await stack.control("/faults", { method: "DELETE" });
  expect((await stack.deploy("--dry-run", "--detailed-exitcode")).code).toBe(0);
  expect(await stack.untracked()).toEqual([]);
}, 90_000);

test("a permanent AccessDenied on CreateCluster: non-zero exit, a structured error with recovery suggestions, a state recording what was created", async () => {
  await stack.reset();
  await stack.addFault({ service: "eks", action: "CreateCluster", kind: "error", code: "AccessDeniedException", status: 403, message: "User is not authorized to perform: eks:CreateCluster" });
  const run = await stack.deploy();
  expect(run.code).not.toBe(0);
  const doc = JSON.parse(run.stdout);
  expect(doc.success).toBe(false);
  expect(doc.error.code).toBe("DEPLOY_FAILED");
  expect(doc.error.message).toContain("not authorized");
  expect(doc.error.details.failed.map((f: { address: string }) => f.address)).toEqual(["aws/eks_cluster/main"]);
  expect(doc.error.recovery_suggestions.join(" ")).toContain("lack of permission");

  expect(existsSync(stack.statePath)).toBe(true);
  const state = JSON.parse(readFileSync(stack.statePath, "utf8"));
  const done = doc.error.details.done.map((d: { address: string }) => d.address);
  expect(done).toContain("aws/vpc/main");
  expect(Object.keys(state.resources).sort()).toEqual(done.sort());
  const inventory = await stack.inventory();
  expect(inventory.some((r) => r.type === "ec2:vpc")).toBe(true);
  expect(await stack.untracked()).toEqual([]);
}, 90_000);

test("the untracked check sees a VPC made behind NIC's back", async () => {
  const env = stack.sandbox.env;
  const ec2 = new EC2Client({ region: env.AWS_REGION, endpoint: stack.sandbox.awsEndpoint, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! } });
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }));
  expect(await stack.untracked()).toEqual([`ec2:vpc:${Vpc!.VpcId}`]);
});

// The engine retries a kind's whole create() on a transient error, and the security group's create() is CreateSecurityGroup
// then the rule calls: a retry after a rule call that outlasted the SDK's retries must continue from the group that exists.
test("a 5xx that outlasts the SDK's retries on RevokeSecurityGroupEgress does not fail the deploy", async () => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action: "RevokeSecurityGroupEgress", kind: "error", code: "InternalFailure", status: 500, times: 3 });
  const run = await stack.deploy();
  expect(run.code, run.stdout.slice(0, 500)).toBe(0);
}, 90_000);

// The same for every multi-call create, through the engine: a retried create first looks for what the failed attempt made.
// The VPC's create() is CreateVpc then ModifyVpcAttribute (DNS hostnames): a retry must not make a second VPC.
test("a 5xx that outlasts the SDK's retries on ModifyVpcAttribute leaves one VPC, tracked, with DNS hostnames on", async () => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action: "ModifyVpcAttribute", kind: "error", code: "InternalFailure", status: 500, times: 3 });
  const run = await stack.deploy();
  expect(run.code, run.stdout.slice(0, 500)).toBe(0);
  const vpcs = (await stack.inventory()).filter((r) => r.type === "ec2:vpc");
  expect(vpcs).toHaveLength(1);
  expect(await stack.untracked()).toEqual([]);
  expect((await stack.deploy("--dry-run", "--detailed-exitcode")).code).toBe(0);
}, 90_000);

test("a 5xx that outlasts the SDK's retries on AttachInternetGateway leaves one gateway, attached and tracked", async () => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action: "AttachInternetGateway", kind: "error", code: "InternalFailure", status: 500, times: 3 });
  const run = await stack.deploy();
  expect(run.code, run.stdout.slice(0, 500)).toBe(0);
  const gateways = (await stack.inventory()).filter((r) => r.type === "ec2:internet-gateway");
  expect(gateways).toHaveLength(1);
  expect(await stack.untracked()).toEqual([]);
  expect((await stack.deploy("--dry-run", "--detailed-exitcode")).code).toBe(0);
}, 90_000);

// A destroy killed while EKS deletes a node group leaves it DELETING: the rerun must wait for it to go, not forget it
// and fail on DeleteCluster ("Cluster has nodegroups attached"). Found by `make soak` (R2 for destroy).
for (const waitingOn of ["eks_node_group", "efs_file_system"]) {
  test(`a destroy killed while waiting for the ${waitingOn} deletion finishes on one rerun`, async () => {
    await stack.reset();
    expect((await stack.deploy()).code).toBe(0);
    const child = stack.spawnDestroy();
    let log = "";
    for await (const chunk of child.stderr) {
      log += new TextDecoder().decode(chunk);
      if (new RegExp(`${waitingOn}/\\w+: waiting`).test(log)) break;
    }
    child.kill("SIGKILL");
    await child.exited;
    expect(child.signalCode).toBe("SIGKILL");
    expect(log).toMatch(new RegExp(`${waitingOn}/\\w+: waiting`));
    await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env);
    const rerun = await stack.destroy();
    expect(rerun.code, rerun.stdout.slice(0, 500)).toBe(0);
    expect(await stack.leftovers()).toEqual([]);
  }, 120_000);
}
