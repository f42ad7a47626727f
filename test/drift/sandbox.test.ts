// Drift end to end: a stack deployed by `nic deploy` on the sandbox, changed behind NIC's back through the sandbox's
// control API (the cloud console) and the cluster's API (kubectl), then detected, accepted and fixed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { NicError } from "../../src/cli/errors.ts";
import { acceptUnderLock, driftInputs } from "../../src/drift/commands.ts";
import { detectDrift } from "../../src/drift/detect.ts";
import { fixDrift } from "../../src/drift/fix.ts";
import { driftDocument } from "../../src/drift/report.ts";
import type { Plan } from "../../src/engine/plan.ts";
import { Stack } from "./harness.ts";

const T = 120_000;
const CRD = "ingressroutes.traefik.containo.us";
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const NO_PROMPT = { interactive: false, ask: async () => "" };

let s: Stack;
beforeAll(async () => {
  s = await Stack.start();
  await s.deploy();
}, T);
afterAll(() => s.stop());

async function detect(includeIgnored = false) {
  const detection = await detectDrift(s.loaded, s.provider, await s.state(), { env: s.env, includeIgnored, signal: new AbortController().signal });
  return { detection, doc: driftDocument(detection.phases) };
}

async function fix(): Promise<Plan[]> {
  const shown: Plan[] = [];
  await fixDrift(s.loaded, s.provider, s.backend, {
    env: s.env, log: s.log(), yes: true, prompter: NO_PROMPT, lockTimeoutMs: 0, allowReplace: false, forceConflicts: false,
    show: (plans) => shown.push(...plans.map((p) => p.plan)),
  });
  return shown;
}

const changes = (plans: Plan[]) => plans.flatMap((p) => p.entries.filter((e) => e.action !== "no-op").map((e) => `${e.action} ${e.address}`));
const drifted = (doc: Awaited<ReturnType<typeof detect>>["doc"]) =>
  Object.entries({ ...doc.cloud, ...doc.kubernetes }).flatMap(([group, entries]) => Object.entries(entries).filter(([, e]) => e.drift).map(([name, e]) => `${e.status} ${group}/${name}`));

test("right after a deploy there is no drift, read with no more AWS calls than a no-op deploy", async () => {
  await s.clearCalls();
  await s.deploy(true);
  const deployCalls = await s.awsCalls();
  await s.clearCalls();
  const { doc } = await detect();
  expect(await s.awsCalls()).toBeLessThanOrEqual(deployCalls);
  expect(doc.has_drift).toBe(false);
  expect(doc.summary.total_resources).toBe(Object.keys((await s.state()).resources).length);
  expect(doc.summary).toMatchObject({ drifted_resources: 0, added_resources: 0, removed_resources: 0 });
}, T);

test("node group max_size changed behind NIC's back: exactly that field; accept makes the next detect clean; fix reverts it", async () => {
  await s.mutate({ type: "eks:nodegroup", id: "nic-dev/user", set: { spec: { scalingConfig: { maxSize: 9 } } } });
  const { doc } = await detect();
  expect(drifted(doc)).toEqual(["drifted eks_node_group/user"]);
  expect(doc.cloud.eks_node_group!.user!.differences).toEqual([{ field: "scaling.max_size", state_value: 5, actual_value: 9 }]);

  const serial = (await s.state()).serial;
  const { accepted } = await acceptUnderLock(s.context({ yes: true }), await driftInputs(s.context(), "drift accept"), () => {});
  expect(accepted?.updated).toEqual(["aws/eks_node_group/user"]);
  expect((await s.state()).serial).toBeGreaterThan(serial);
  expect((await detect()).doc.has_drift).toBe(false);

  // The state now says 9; the configuration still says 5.
  const plans = await fix();
  expect(changes(plans)).toEqual(["update aws/eks_node_group/user"]);
  const { detection, doc: after } = await detect();
  expect(after.has_drift).toBe(false);
  expect(detection.actual.get("aws/eks_node_group/user")!.attributes.scaling).toMatchObject({ max_size: 5 });
}, T);

test("a tag removed from the VPC is detected, and fix puts it back", async () => {
  const vpcId = (await s.state()).resources["aws/vpc/main"]!.provider_id;
  await s.mutate({ type: "ec2:vpc", id: vpcId, removeTags: ["Environment"] });
  const { doc } = await detect();
  expect(drifted(doc)).toEqual(["drifted vpc/main"]);
  expect(doc.cloud.vpc!.main!.differences).toEqual([{ field: "tags.Environment", state_value: "dev", actual_value: null }]);
  expect(changes(await fix())).toEqual(["update aws/vpc/main"]);
  expect((await s.inventory()).find((r) => r.id === vpcId)!.tags.Environment).toBe("dev");
}, T);

test("desired_size changed by the autoscaler is not drift: listed as ignored, reported only with --include-ignored", async () => {
  await s.mutate({ type: "eks:nodegroup", id: "nic-dev/user", set: { spec: { scalingConfig: { desiredSize: 3 } } } });
  const { doc } = await detect();
  expect(doc.has_drift).toBe(false);
  expect(doc.ignored).toContainEqual({ address: "aws/eks_node_group/user", phase: "cloud", field: "scaling.desired_size", state_value: 0, actual_value: 3 });
  const all = (await detect(true)).doc;
  expect(all.has_drift).toBe(true);
  expect(all.cloud.eks_node_group!.user!.differences).toEqual([{ field: "scaling.desired_size", state_value: 0, actual_value: 3 }]);
}, T);

test("a namespace created with kubectl, carrying NIC's label, is reported as added", async () => {
  const kubectl = await s.kubectl();
  await kubectl.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "staging", labels: { "app.kubernetes.io/managed-by": "nic" } } } });
  const { doc } = await detect();
  expect(drifted(doc)).toEqual(["added namespace/staging"]);
  expect(doc.kubernetes.namespace!.staging).toEqual({ drift: true, status: "added", reason: "exists in cluster but not in state", differences: [] });
  expect(doc.summary.added_resources).toBe(1);
  await kubectl.request("DELETE", "/api/v1/namespaces/staging");
}, T);

test("a CRD deleted is reported as removed, and fix recreates it", async () => {
  const kubectl = await s.kubectl();
  await kubectl.request("DELETE", `${CRDS}/${CRD}`);
  const { doc } = await detect();
  expect(drifted(doc)).toEqual([`removed customresourcedefinition/${CRD}`]);
  expect(doc.summary.removed_resources).toBe(1);
  expect(changes(await fix())).toEqual([`create k8s/customresourcedefinition/_cluster/${CRD}`]);
  expect((await kubectl.request("GET", `${CRDS}/${CRD}`)).metadata.name).toBe(CRD);
  expect((await detect()).doc.has_drift).toBe(false);
}, T);

test("a cloud read that fails is reported as READ_FAILED (exit 1) naming the phase, not as a bug", async () => {
  await s.control("/faults", { service: "ec2", action: "DescribeVpcs", kind: "error", code: "UnauthorizedOperation", status: 403 });
  const failed = await detect().then(() => undefined, (err: NicError) => ({ code: err.code, exit: err.exitCode, phase: err.details.phase, message: err.message }));
  await fetch(`${s.sandbox.controlEndpoint}/faults`, { method: "DELETE" });
  expect(failed).toMatchObject({ code: "READ_FAILED", exit: 1, phase: "cloud" });
  expect(failed?.message).toContain("UnauthorizedOperation");
}, T);

test("the CLI: detect exits 2 with --detailed-exitcode on drift, accept refuses without a terminal or --yes", async () => {
  const clean = await s.run(["drift", "detect", "--format", "json", "--detailed-exitcode"]);
  expect(clean.code).toBe(0);
  expect(JSON.parse(clean.stdout)).toMatchObject({ success: true, has_drift: false });

  await s.mutate({ type: "eks:nodegroup", id: "nic-dev/general", set: { spec: { scalingConfig: { maxSize: 4 } } } });
  const found = await s.run(["drift", "detect", "--format", "json", "--detailed-exitcode"]);
  expect(found.code).toBe(2);
  const report = JSON.parse(found.stdout);
  expect(Object.keys(report)).toEqual(["success", "has_drift", "configuration", "cloud", "kubernetes", "ignored", "skipped", "summary"]);
  expect(report.cloud.eks_node_group.general.differences).toEqual([{ field: "scaling.max_size", state_value: 1, actual_value: 4 }]);
  expect((await s.run(["drift", "detect"])).code).toBe(0);

  const diff = await s.run(["drift", "diff"]);
  expect(diff.stdout).toContain("@@ aws/eks_node_group/general @@\n-scaling.max_size: 1\n+scaling.max_size: 4");

  const serial = (await s.state()).serial;
  const refused = await s.run(["drift", "accept", "--format", "json"]);
  expect(refused.code).toBe(3);
  expect(JSON.parse(refused.stdout).error.code).toBe("CONFIRMATION_REQUIRED");
  expect((await s.state()).serial).toBe(serial);

  const fixed = await s.run(["drift", "fix", "--yes", "--format", "json"]);
  expect(fixed.code).toBe(0);
  expect(JSON.parse(fixed.stdout).phases.cloud.plan.summary).toEqual({ add: 0, change: 1, replace: 0, destroy: 0 });
  expect((await s.run(["drift", "detect", "--detailed-exitcode"])).code).toBe(0);
}, T);
