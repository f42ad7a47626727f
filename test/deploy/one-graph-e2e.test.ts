// One graph end to end: under the sandbox's realistic profile (AWS's own durations, scaled down), `nic deploy` applies
// stage 03 while the node groups are still creating. The proof is the sandbox's call logs: AWS's and the cluster API's.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const SCALE = 150; // the EKS cluster 4 s, node groups 1.6 s, add-ons 0.6 s
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ profile: "realistic", scale: SCALE });
  dir = tempDir("nic-one-graph-");
  writeFileSync(join(dir, "nebari-config.yaml"), readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml"), "utf8"));
});
afterAll(() => sandbox?.stop());

test("Kubernetes objects are applied while the node groups are still creating; a rerun changes nothing", async () => {
  const run = await nicAsync(["deploy", "-f", join(dir, "nebari-config.yaml"), "--format", "json"], { ...sandbox.env, HOME: dir });
  expect(run.code, run.stdout.slice(0, 2000)).toBe(0);
  const doc = JSON.parse(run.stdout);
  expect(doc.phases.cloud.applied.done.length).toBeGreaterThan(20);
  expect(doc.phases.kubernetes.applied.done.some((d: { address: string }) => d.address === "k8s/namespace/_cluster/dev")).toBe(true);

  const { calls } = (await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: Array<{ action: string; time: string; ms: number }> };
  const delay = sandbox.world.delays.eksNodegroupCreate;
  const creates = calls.filter((c) => c.action === "CreateNodegroup");
  expect(creates).toHaveLength(3);
  // The earliest any node group can have turned ACTIVE: its create was handled no earlier than answered minus its duration.
  const firstActive = Math.min(...creates.map((c) => Date.parse(c.time) - c.ms + delay));

  const applies = sandbox.kubernetesCalls("nicdemo-dev").filter((c) => c.verb === "patch");
  const during = applies.filter((c) => c.at! < firstActive).map((c) => `${c.resource}/${c.name}`);
  expect(during).toContain("namespaces/dev");
  expect(during.filter((d) => d.startsWith("customresourcedefinitions/"))).toHaveLength(9);
  expect(during).toContain("serviceaccounts/cluster-autoscaler"); // its IRSA role was ready long before the nodes

  const outputs = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/outputs.json"), "utf8"));
  expect(outputs.cluster_autoscaler_role_arn.value).toMatch(/:role\/nicdemo-dev-cluster-autoscaler$/);

  const again = await nicAsync(["deploy", "-f", join(dir, "nebari-config.yaml"), "--dry-run", "--detailed-exitcode", "--format", "json"], { ...sandbox.env, HOME: dir });
  expect(again.code, again.stdout.slice(0, 2000)).toBe(0);
}, 120_000);

test("a node group that fails after the CRDs were applied: the run reports both, and a rerun converges", async () => {
  await fetch(`${sandbox.controlEndpoint}/reset`, { method: "POST" });
  const fresh = tempDir("nic-one-graph-fail-");
  writeFileSync(join(fresh, "nebari-config.yaml"), readFileSync(join(dir, "nebari-config.yaml"), "utf8"));
  await fetch(`${sandbox.controlEndpoint}/faults`, {
    method: "POST",
    body: JSON.stringify({ service: "eks", action: "CreateNodegroup", kind: "error", code: "InvalidRequestException", status: 400, message: "instance type not offered", times: 1 }),
  });
  const deploy = (...args: string[]) => nicAsync(["deploy", "-f", join(fresh, "nebari-config.yaml"), "--format", "json", ...args], { ...sandbox.env, HOME: fresh });

  const failed = await deploy();
  expect(failed.code).toBe(1);
  const { error } = JSON.parse(failed.stdout);
  expect(error.code).toBe("DEPLOY_FAILED");
  expect(error.details.phase).toBe("cloud");
  expect(error.details.cloud.failed.map((f: { address: string }) => f.address)).toEqual([expect.stringMatching(/^aws\/eks_node_group\//)]);
  const applied = error.details.kubernetes.done.map((d: { address: string }) => d.address);
  expect(applied.filter((a: string) => a.startsWith("k8s/customresourcedefinition/"))).toHaveLength(9);
  expect(error.details.skipped.map((s: { address: string }) => s.address)).toContain("aws/eks_addon/coredns");

  // The failed create stays journaled; the rerun waits up to one request deadline for it (journal.ts): keep that short.
  const rerun = await deploy("--request-timeout", "2s");
  expect(rerun.code, rerun.stdout.slice(0, 2000)).toBe(0);
  expect(JSON.parse(rerun.stdout).phases.cloud.plan.summary.add).toBeGreaterThan(0);
  expect((await deploy("--dry-run", "--detailed-exitcode")).code).toBe(0);
}, 120_000);
