// Issue 21 (7): the error document names AWS's error code and the refused action; recordings redact the session's secrets
// by value and every Bearer value; the first Ctrl-C exits with the documented code (130, INTERRUPTED) and the next run settles.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { nicAsync } from "../helpers/binary.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(async () => {
  await stack?.stop();
});

test("AccessDenied on iam:CreateRole: the document names the AWS code and the refused action, and the hint names that action, not another", async () => {
  await stack.reset();
  await stack.addFault({ service: "iam", action: "CreateRole", kind: "error", code: "AccessDenied", status: 403, message: "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/x" });
  await stack.addFault({ service: "ec2", action: "CreateVpc", kind: "error", code: "UnauthorizedOperation", status: 403, message: "You are not authorized to perform this operation." });
  const run = await stack.deploy();
  expect(run.code).toBe(1);
  const { error } = JSON.parse(run.stdout);
  expect(error.code).toBe("DEPLOY_FAILED");
  const failed = Object.fromEntries(error.details.failed.map((f: { address: string }) => [f.address, f]));
  expect(failed["aws/vpc/main"]).toMatchObject({ aws_error_code: "UnauthorizedOperation", call: "ec2:CreateVpc", refused_action: "ec2:CreateVpc" });
  const role = Object.values(failed).find((f: any) => f.refused_action === "iam:CreateRole") as any;
  expect(role).toMatchObject({ aws_error_code: "AccessDenied", call: "iam:CreateRole" });
  const hints = error.recovery_suggestions.join(" ");
  expect(hints).toContain("iam:CreateRole");
  expect(hints).toContain("ec2:CreateVpc");
  expect(hints).not.toContain("eks:CreateCluster");
}, 60_000);

test("a recording holds neither the session's key, secret and token (wherever they appear) nor any Bearer value", async () => {
  await stack.reset();
  const token = "FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUE0123456789";
  const env: Record<string, string> = { ...stack.env, AWS_SESSION_TOKEN: token, NIC_RECORD: join(stack.dir, "recording.json") };
  // The cloud echoes them back in an error message (as a misconfigured proxy or a verbose API may).
  const echo = `key ${env.AWS_ACCESS_KEY_ID} secret ${env.AWS_SECRET_ACCESS_KEY} token ${token} header Authorization: Bearer abc.def-ghi`;
  await stack.addFault({ service: "ec2", action: "DescribeVpcs", kind: "error", code: "InvalidParameterValue", status: 400, message: echo });
  const run = await nicAsync(["deploy", "-f", stack.config, "--dry-run", "--format", "json"], env);
  expect(run.code).toBe(1);
  const recording = readFileSync(env.NIC_RECORD!, "utf8");
  expect(recording).toContain("InvalidParameterValue"); // the exchange was recorded
  for (const secret of [env.AWS_ACCESS_KEY_ID!, env.AWS_SECRET_ACCESS_KEY!, token, "abc.def-ghi"]) expect(recording).not.toContain(secret);
  expect(recording).toContain("Bearer [REDACTED]");
}, 60_000);

/** Starts a deploy whose cluster takes `clusterMs` to create and presses Ctrl-C while it waits for it, nothing else in flight. */
async function interruptDuringClusterWait(clusterMs: number): Promise<void> {
  await stack.reset();
  await stack.control("/delays", { method: "PUT", body: JSON.stringify({ eksClusterCreate: clusterMs }) });
  const child = stack.spawnDeploy();
  // Ctrl-C once the deploy's only step in progress is the cluster's wait (CreateCluster answered, every other started step
  // done): polling the sandbox for CreateCluster could land it while the route table's creates were in flight, and the
  // rerun then waits out their journal entries (the killed run's 60 s deadline) on top of the test's own time.
  const busy = new Set<string>();
  let waiting = false;
  let partial = "";
  // Read on after the Ctrl-C too: a closed pipe would fail the run's own last log lines (EPIPE) and its exit code.
  const stderr = child.stderr.getReader();
  for (let read = await stderr.read(); !read.done; read = await stderr.read()) {
    partial += new TextDecoder().decode(read.value);
    const lines = partial.split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      const event = line.startsWith("{") ? JSON.parse(line).event : undefined;
      if (event?.type === "started") busy.add(event.address);
      if (event?.type === "done" || event?.type === "failed") busy.delete(event.address);
      if (event?.type === "waiting" && event.address === "aws/eks_cluster/main") waiting = true;
    }
    if (waiting && busy.size === 1 && busy.has("aws/eks_cluster/main")) break;
  }
  expect({ waiting, busy: [...busy] }).toEqual({ waiting: true, busy: ["aws/eks_cluster/main"] });
  void (async () => {
    while (!(await stderr.read()).done);
  })();
  child.kill("SIGINT");
  const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  expect(code, stdout.slice(0, 800)).toBe(130);
  expect(JSON.parse(stdout).error.code).toBe("INTERRUPTED");
  const status = JSON.parse((await nicAsync(["status", "-f", stack.config, "--format", "json"], stack.env)).stdout);
  expect(status.lock).toBeNull();
}

test("the first Ctrl-C stops deploy at a safe point with exit 130 and INTERRUPTED, the lock released; the next deploy settles the journal", async () => {
  await interruptDuringClusterWait(4000);

  await stack.control("/delays", { method: "PUT", body: JSON.stringify({ eksClusterCreate: 100 }) });
  const rerun = await stack.deploy("--request-timeout", "3s");
  expect(rerun.code, rerun.stdout.slice(0, 800)).toBe(0);
  const after = JSON.parse((await nicAsync(["status", "-f", stack.config, "--format", "json"], stack.env)).stdout);
  expect(after.pending_operations).toEqual([]);
  expect(after.healthy).toBe(true);
  expect(await stack.untracked()).toEqual([]);
}, 90_000);

test("a deploy interrupted while the cluster was creating: once the cluster is up, the next deploy reaches its API through the endpoint it now has", async () => {
  await interruptDuringClusterWait(3000);
  await Bun.sleep(3500); // the cluster turns ACTIVE meanwhile; the state still records it as the killed run last saw it
  const rerun = await stack.deploy();
  expect(rerun.code, rerun.stdout.slice(0, 800)).toBe(0);
  const after = JSON.parse((await nicAsync(["status", "-f", stack.config, "--format", "json"], stack.env)).stdout);
  expect(after.pending_operations).toEqual([]);
  expect(after.healthy).toBe(true);
  const drift = await nicAsync(["drift", "detect", "-f", stack.config, "--format", "json", "--detailed-exitcode"], stack.env);
  expect(drift.code, drift.stdout.slice(0, 800)).toBe(0);
}, 90_000);
