// Issue 21 (3) on Azure and GCP: a hung call fails the compiled binary's deploy fast with REQUEST_TIMEOUT naming the call,
// after the SDK's retries, and the lock is released (the AWS and Kubernetes cases are in deadlines.test.ts).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import type { FaultRule } from "../../sandbox/faults.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 100, aksPoolCreate: 50, acrCreate: 20 } as never });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** A deploy of the demo stack for `cloud` with a fault on one call and `--request-timeout 1s`; its error and duration. */
async function hungDeploy(cloud: "azure" | "gcp", fault: FaultRule) {
  await fetch(`${sandbox.controlEndpoint}/reset`, { method: "POST" });
  await fetch(`${sandbox.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify(fault) });
  const dir = tempDir(`nic-deadline-${cloud}-`);
  const config = join(dir, "nebari-config.yaml");
  writeFileSync(config, readFileSync(join(import.meta.dir, `../../fixtures/configs/demo-${cloud}.yaml`), "utf8"));
  const started = performance.now();
  const run = await nicAsync(["deploy", "-f", config, "--format", "json", "--request-timeout", "1s"], { ...sandbox.env, HOME: dir });
  const seconds = (performance.now() - started) / 1000;
  console.log(`deadline: a hung ${fault.service}:${fault.action ?? "*"} detected in ${seconds.toFixed(1)} s`);
  expect(run.code, run.stdout.slice(0, 1500) + run.stderr.slice(-1500)).toBe(1);
  const lock = join(dir, ".nebari/stages/02-infrastructure/nic-state.json.lock");
  return { error: JSON.parse(run.stdout).error, seconds, locked: existsSync(lock) };
}

test("Azure: 300 s of latency on the cluster's PUT: deploy --request-timeout 1s fails within seconds with REQUEST_TIMEOUT naming arm:PUT managedClusters, lock released", async () => {
  const { error, seconds, locked } = await hungDeploy("azure", { service: "containerservice", action: "ManagedClusters_CreateOrUpdate", kind: "latency", latencyMs: 300_000 });
  expect(error.code).toBe("REQUEST_TIMEOUT");
  expect(error.details.call).toBe("arm:PUT managedClusters");
  expect(Number(/\((\d+) attempts\)/.exec(error.message)?.[1])).toBeGreaterThan(1); // retried as transient first
  expect(error.details.failed.some((f: { call?: string }) => f.call === "arm:PUT managedClusters")).toBe(true);
  expect(seconds).toBeLessThan(30);
  expect(locked).toBe(false);
}, 60_000);

test("Azure: a sign-in that never answers: deploy --request-timeout 1s fails with REQUEST_TIMEOUT naming the Entra call, not a credential error", async () => {
  const { error, seconds, locked } = await hungDeploy("azure", { service: "aad", kind: "latency", latencyMs: 300_000 });
  expect(error.code).toBe("REQUEST_TIMEOUT");
  expect(error.details.call).toMatch(/^entra:(GET|POST) /);
  expect(seconds).toBeLessThan(30);
  expect(locked).toBe(false);
}, 60_000);

test.each([
  ["GKE's client (GAPIC over REST)", "container", "CreateCluster", "container:POST clusters"],
  ["a plain REST call", "iam", "CreateServiceAccount", "iam:POST serviceAccounts"],
])("GCP, %s: 300 s of latency on it: deploy --request-timeout 1s fails within seconds with REQUEST_TIMEOUT naming it, lock released", async (_, service, action, call) => {
  const { error, seconds, locked } = await hungDeploy("gcp", { service, action, kind: "latency", latencyMs: 300_000 });
  expect(error.code).toBe("REQUEST_TIMEOUT");
  expect(error.details.call).toBe(call);
  expect(Number(/\((\d+) attempts\)/.exec(error.message)?.[1])).toBeGreaterThan(1); // retried as transient first
  expect(seconds).toBeLessThan(30);
  expect(locked).toBe(false);
}, 60_000);
