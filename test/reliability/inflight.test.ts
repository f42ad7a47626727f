// Issue 21 (2): a request still in flight when its process died must not leave an orphan. With 3 s of latency on a create,
// SIGKILL at 1.5 s and an immediate rerun, the killed request completes after the rerun looked. Where the API takes an
// idempotency token (EC2 ClientToken on CreateRouteTable, EKS clientRequestToken, EFS CreationToken) the rerun resends the
// journaled one at once and the sandbox answers with what the killed request made; where the name is unique (security groups,
// IAM roles) the rerun creates at once and adopts the name's owner; where neither holds (CreateVpc) the rerun
// looks again every second until it finds the resource by its tags or the killed run's own request deadline has passed.
// On the compiled binary and the sandbox; the rerun has the default request deadline (60 s) and must not sit it out.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { nicAsync } from "../helpers/binary.ts";
import { NIC } from "../helpers/binary.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(async () => {
  await stack?.stop();
});

const pending = () => {
  try {
    return JSON.parse(readFileSync(stack.statePath, "utf8")).pending_operations as Array<{ address: string; operation: string }>;
  } catch {
    return [];
  }
};

/** Starts a deploy and SIGKILLs it `afterMs` after it journaled a create under `address`; leaves the lock free. */
async function killMidCreate(service: string, address: string, afterMs: number, args: string[] = []): Promise<void> {
  const child = Bun.spawn([NIC, "deploy", "-f", stack.config, "--format", "json", ...args], { env: stack.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  for (let i = 0; i < 3000 && !pending().some((op) => op.operation === "create" && op.address.startsWith(address)); i++) await Bun.sleep(10);
  await Bun.sleep(afterMs);
  child.kill("SIGKILL");
  await child.exited;
  expect(pending().some((op) => op.address.startsWith(address)), `${service}: no create of ${address} was journaled`).toBe(true);
  expect((await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env)).code).toBe(0);
}

test.each([
  ["ec2", "CreateRouteTable", "aws/route_table/", "ec2:route-table", 1],
  ["ec2", "CreateVpc", "aws/vpc/main", "ec2:vpc", 1],
  ["eks", "CreateCluster", "aws/eks_cluster/", "eks:cluster", 1],
  ["eks", "CreateNodegroup", "aws/eks_node_group/", "eks:nodegroup", 3],
  ["eks", "CreateAddon", "aws/eks_addon/", "eks:addon", 2],
  ["elasticfilesystem", "CreateFileSystem", "aws/efs_file_system/", "efs:file-system", 1],
  // No token, but a second of one name is refused and create() adopts the first: created again at once too.
  ["ec2", "CreateSecurityGroup", "aws/security_group/", "", 0],
  ["iam", "CreateRole", "aws/iam_role/", "", 0],
] as Array<[string, string, string, string, number]>)("%s:%s answers after 3 s, the deploy is SIGKILLed at 1.5 s and rerun at once: no orphan, nothing left in the journal", async (service, action, address, type, count) => {
  await stack.reset();
  await stack.addFault({ service, action, kind: "latency", latencyMs: 3000 });
  // The killed run's deadline bounds what the rerun may wait for (another create it journaled may not have been sent yet).
  await killMidCreate(service, address, 1500, ["--request-timeout", "6s"]);

  const started = performance.now();
  const run = await stack.deploy();
  const seconds = (performance.now() - started) / 1000;
  expect(run.code, run.stdout.slice(0, 1500)).toBe(0);
  expect(seconds).toBeLessThan(40); // the killed run's 6 s at most, not the rerun's own default deadline (60 s)
  await Bun.sleep(3500); // every request of the killed run has ended by now
  expect(await stack.duplicates()).toEqual([]);
  expect(await stack.untracked()).toEqual([]);
  expect(pending()).toEqual([]);
  // EC2 records carry their name as a tag (the inventory's `name` is empty for them), and the VPC's main route table has none.
  if (!type) return; // duplicates() compared them by name
  const ours = (await stack.inventory()).filter((r) => r.type === type && (r.name || r.tags?.Name));
  expect(ours.length).toBe(count);
}, 120_000);

test("a create whose request never made anything: the rerun waits only until the killed run's own request deadline, not its own", async () => {
  await stack.reset();
  // The killed run's CreateVpc is refused after 1.5 s (it makes nothing); the rerun's goes through.
  await stack.addFault({ service: "ec2", action: "CreateVpc", kind: "error", code: "InternalFailure", status: 500, latencyMs: 1500, nth: 1 });
  await killMidCreate("ec2", "aws/vpc/main", 500, ["--request-timeout", "3s"]);
  const state = JSON.parse(readFileSync(stack.statePath, "utf8"));
  const entry = state.pending_operations.find((op: { address: string }) => op.address === "aws/vpc/main");
  expect(Date.parse(entry.in_flight_until) - Date.parse(entry.started_at)).toBe(3000);

  const started = performance.now();
  const run = await stack.deploy(); // its own deadline is the default 60 s
  expect(run.code, run.stdout.slice(0, 1500)).toBe(0);
  expect((performance.now() - started) / 1000).toBeLessThan(30);
  expect(await stack.duplicates()).toEqual([]);
  expect(await stack.untracked()).toEqual([]);
  expect(pending()).toEqual([]);
}, 120_000);

test("drift fix after a kill mid-CreateVpc holds off as deploy does: one VPC, tracked, nothing left in the journal", async () => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action: "CreateVpc", kind: "latency", latencyMs: 3000 });
  await killMidCreate("ec2", "aws/vpc/main", 1500, ["--request-timeout", "6s"]);
  const fix = await nicAsync(["drift", "fix", "-f", stack.config, "--yes", "--format", "json"], stack.env);
  expect(fix.code, fix.stdout.slice(0, 1500)).toBe(0);
  await Bun.sleep(3500);
  expect(await stack.duplicates()).toEqual([]);
  expect(await stack.untracked()).toEqual([]);
  expect(pending()).toEqual([]);
}, 120_000);
