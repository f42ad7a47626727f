// Crash safety: a run stopped half-way (state saved only for what completed, or lost entirely) is finished by the
// next run, which adopts what the stopped run created and never duplicates a cloud resource.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { configFrom, Deployment } from "./harness.ts";

const config = configFrom(`project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
`);

let d: Deployment;
beforeAll(async () => {
  d = await Deployment.start();
});
afterAll(async () => {
  await d.stop();
});

/** How many resources of each type the sandbox holds. */
async function census(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const r of await d.inventory()) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

/** Starts a deploy and aborts it `afterMs` after `address` starts (mid-call or mid-wait). */
async function stoppedDeploy(address: string, afterMs: number) {
  const stop = new AbortController();
  const { result } = await d.deploy(config, {
    signal: stop.signal,
    onEvent: (e) => {
      if (e.type === "started" && e.address === address) setTimeout(() => stop.abort(new Error("killed")), afterMs);
    },
  }).catch((err) => ({ result: { success: false, error: err } as any }));
  expect(result.success).toBe(false);
}

let expected: Record<string, number>;

test("reference: the census of one complete deploy", async () => {
  const { result } = await d.deploy(config);
  expect(result.success).toBe(true);
  expected = await census();
  expect(expected["ec2:vpc"]).toBe(1);
  await d.control("/reset", { method: "POST" });
  d.state = [];
}, 60_000);

test.each([
  ["aws/security_group/main", 0, "kept"],
  ["aws/eks_cluster/main", 100, "kept"],
  ["aws/eks_node_group/user", 50, "lost"],
  ["aws/vpc/main", 0, "lost"],
])("stopped as %s starts (+%d ms), state %s: the rerun completes without duplicates", async (address, afterMs, state) => {
  await stoppedDeploy(address, afterMs);
  if (state === "lost") d.state = [];
  const { result } = await d.deploy(config);
  expect(result.failed).toEqual([]);
  expect(result.success).toBe(true);
  expect(await census()).toEqual(expected);
  const { plan } = await d.plan(config);
  expect(plan.entries.filter((e) => e.action !== "no-op")).toEqual([]);
  await d.control("/reset", { method: "POST" });
  d.state = [];
}, 60_000);
