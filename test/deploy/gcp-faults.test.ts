// GCP under faults (R3) and a killed run (R2), with the compiled binary on the GCP sandbox: throttling (429
// RESOURCE_EXHAUSTED), a lost race on the project policy's etag (409 ABORTED), a 503; and a deploy killed mid-way whose
// rerun converges, with a deploy after it changing nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { NIC, nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-gcp.yaml"), "utf8");
let sandbox: Sandbox;

async function control(path: string, body?: unknown, method = body === undefined ? "GET" : "POST") {
  return (await (await fetch(`${sandbox.controlEndpoint}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as any;
}

function project(): string {
  const dir = tempDir("nic-gcp-faults-");
  writeFileSync(join(dir, "nebari-config.yaml"), DEMO);
  return dir;
}
const deploy = (dir: string) => nicAsync(["deploy", "-f", "nebari-config.yaml", "--format", "json"], { ...sandbox.env, HOME: dir }, dir);
const destroy = (dir: string) => nicAsync(["destroy", "-f", "nebari-config.yaml", "--yes", "--format", "json"], { ...sandbox.env, HOME: dir }, dir);
const cloudSummary = (stdout: string) => JSON.parse(stdout).phases.cloud.plan.summary;

beforeAll(async () => {
  sandbox = await startSandbox();
  await control("/delays", { gkeClusterCreate: 300, gkeNodePoolCreate: 300, gkeNodePoolDelete: 50, gkeClusterDelete: 50 }, "PUT");
});
afterAll(() => sandbox?.stop());

describe("GCP faults and interruptions", () => {
  test("credentials GCP refuses stop the deploy before any change (CREDENTIALS_INVALID)", async () => {
    const id = (await control("/faults", { service: "cloudresourcemanager", action: "GetProject", kind: "error", code: "PERMISSION_DENIED", message: "The caller does not have permission" })).id;
    await control("/calls", undefined, "DELETE");
    const r = await deploy(project());
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("CREDENTIALS_INVALID");
    const { calls } = await control("/calls");
    expect(calls.map((c: any) => c.action).filter((a: string) => !/^(Get|List)/.test(a))).toEqual([]);
    await control(`/faults/${id}`, undefined, "DELETE");
  }, 60_000);

  test("R3: throttling, a stale policy etag and a 503 are retried; the deploy converges", async () => {
    await control("/faults", { service: "iam", action: "CreateServiceAccount", kind: "throttle", times: 2 });
    await control("/faults", { service: "cloudresourcemanager", action: "SetIamPolicy", kind: "error", code: "ABORTED", message: "There were concurrent policy changes.", times: 2 });
    await control("/faults", { service: "container", action: "GetCluster", kind: "error", code: "UNAVAILABLE", nth: 2 });
    await control("/faults", { service: "artifactregistry", action: "CreateRepository", kind: "throttle", times: 1 });
    const dir = project();
    const r = await deploy(dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const { calls } = await control("/calls");
    const failed = calls.filter((c: any) => c.error).map((c: any) => `${c.action}:${c.status}`);
    expect(failed).toEqual(expect.arrayContaining(["CreateServiceAccount:429", "SetIamPolicy:409", "GetCluster:503", "CreateRepository:429"]));
    const again = await deploy(dir);
    expect(again.code, again.stderr).toBe(0);
    expect(cloudSummary(again.stdout)).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
    expect((await destroy(dir)).code).toBe(0);
    await control("/faults", undefined, "DELETE");
  }, 120_000);

  test("R2: a deploy killed while the node pools are made is finished by the next run", async () => {
    await control("/calls", undefined, "DELETE");
    // Each pool takes 1.5 s to make (300 ms elsewhere), so the kill lands part-way even if this process is slow to see
    // the first pool's answer on a loaded machine: the last pool is seconds away, not 600 ms.
    await control("/delays", { gkeNodePoolCreate: 1500 }, "PUT");
    const dir = project();
    const child = Bun.spawn([NIC, "deploy", "-f", "nebari-config.yaml", "--format", "json"], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir, ...sandbox.env }, stdout: "ignore", stderr: "ignore" });
    for (let i = 0; i < 600; i++) {
      const { calls } = await control("/calls");
      if (calls.some((c: any) => c.action === "CreateNodePool" && c.status === 200)) break;
      await Bun.sleep(50);
    }
    child.kill("SIGKILL");
    await child.exited;
    const pools = (await control("/inventory?type=gcp:node-pool")).resources.map((r: any) => r.name);
    expect(pools.length).toBeLessThan(3); // killed part-way
    // The killed run's lock stays (its holder is gone): break it, as the user would.
    expect((await nicAsync(["state", "unlock", "--force", "-f", "nebari-config.yaml"], { ...sandbox.env, HOME: dir }, dir)).code).toBe(0);

    const rerun = await deploy(dir);
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    expect((await control("/inventory?type=gcp:node-pool")).resources.map((r: any) => r.name).sort()).toEqual(["general", "user", "worker"]);
    const again = await deploy(dir);
    expect(again.code, again.stderr).toBe(0);
    expect(cloudSummary(again.stdout)).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
    await control("/delays", { gkeNodePoolCreate: 300 }, "PUT");
  }, 120_000);
});
