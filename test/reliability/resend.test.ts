// Issue 21 (2, 3): a create that a repeat would duplicate (CreateVpc: no token, no unique name) and whose answer does not
// come within the request deadline may still be made by the cloud, so the SDK must not send it again blind: before, three
// attempts under 1.5 s of latency and --request-timeout 1s left three VPCs, two of them orphans. Now the run fails with
// REQUEST_TIMEOUT after one attempt, and the next deploy finds the late VPC and records it: one VPC, nothing untracked.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Stack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(async () => {
  await stack?.stop();
});

test("CreateVpc slower than the request deadline: one attempt, REQUEST_TIMEOUT naming it; the rerun records the late VPC, no orphan", async () => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action: "CreateVpc", kind: "latency", latencyMs: 1500 });
  const run = await stack.deploy("--request-timeout", "1s");
  expect(run.code, run.stdout.slice(0, 1500)).toBe(1);
  const { error } = JSON.parse(run.stdout);
  expect(error.code).toBe("REQUEST_TIMEOUT");
  expect(error.details.call).toBe("ec2:CreateVpc");
  await Bun.sleep(2000); // the cloud answers the one request late
  expect((await stack.inventory()).filter((r) => r.type === "ec2:vpc" && r.tags?.Name === "nicdemo-dev").length).toBe(1);

  await stack.control("/faults", { method: "DELETE" });
  const rerun = await stack.deploy();
  expect(rerun.code, rerun.stdout.slice(0, 1500)).toBe(0);
  expect(await stack.duplicates()).toEqual([]);
  expect(await stack.untracked()).toEqual([]);
  expect(JSON.parse(readFileSync(stack.statePath, "utf8")).pending_operations).toEqual([]);
}, 90_000);
