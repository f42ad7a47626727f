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

  const sa = applies.find((c) => c.resource === "serviceaccounts");
  expect(sa).toBeDefined();
  const outputs = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/outputs.json"), "utf8"));
  expect(outputs.cluster_autoscaler_role_arn.value).toMatch(/:role\/nicdemo-dev-cluster-autoscaler$/);

  const again = await nicAsync(["deploy", "-f", join(dir, "nebari-config.yaml"), "--dry-run", "--detailed-exitcode", "--format", "json"], { ...sandbox.env, HOME: dir });
  expect(again.code, again.stdout.slice(0, 2000)).toBe(0);
}, 120_000);
