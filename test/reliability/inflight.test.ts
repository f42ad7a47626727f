// Issue 21 (2): a request still in flight when its process died must not leave an orphan. With 3 s of latency on a create,
// SIGKILL at 1.5 s and an immediate rerun, the killed request completes after the rerun looked: the rerun sends the same
// idempotency token (EC2 ClientToken on CreateRouteTable) or, where the API has none (CreateVpc), waits until the journaled
// create is older than a request deadline before it looks again. On the compiled binary and the sandbox.
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

test.each([
  ["CreateRouteTable", "aws/route_table/", "ec2:route-table"],
  ["CreateVpc", "aws/vpc/main", "ec2:vpc"],
])("%s answers after 3 s, the deploy is SIGKILLed at 1.5 s and rerun at once: one resource, tracked, nothing left in the journal", async (action, address, type) => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action, kind: "latency", latencyMs: 3000 });
  const child = Bun.spawn([NIC, "deploy", "-f", stack.config, "--format", "json", "--request-timeout", "6s"], { env: stack.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  for (let i = 0; i < 600 && !pending().some((op) => op.operation === "create" && op.address.startsWith(address)); i++) await Bun.sleep(10);
  await Bun.sleep(1500);
  child.kill("SIGKILL");
  await child.exited;
  expect(pending().some((op) => op.address.startsWith(address))).toBe(true);
  expect((await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env)).code).toBe(0);

  const run = await stack.deploy("--request-timeout", "6s");
  expect(run.code, run.stdout.slice(0, 1500)).toBe(0);
  await Bun.sleep(3500); // every request of the killed run has ended by now
  expect(await stack.duplicates()).toEqual([]);
  expect(await stack.untracked()).toEqual([]);
  expect(pending()).toEqual([]);
  // EC2 records carry their name as a tag (the inventory's `name` is empty for them), and the VPC's main route table has none.
  const ours = (await stack.inventory()).filter((r) => r.type === type && r.tags?.Name);
  expect(ours.map((r) => r.tags.Name)).toEqual(["nicdemo-dev"]);
  expect(readFileSync(stack.statePath, "utf8")).toContain(ours[0]!.id);
}, 90_000);
