// R3 on Azure: a deploy under injected faults (5xx on creates, throttled reads, slow pool calls) converges, then has
// nothing to change, and destroy leaves nothing. The compiled binary on the ARM sandbox.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

let sandbox: Sandbox;
let dir: string;
let config: string;
const control = async (path: string, body?: object) =>
  (await (await fetch(`${sandbox.controlEndpoint}${path}`, body ? { method: "POST", body: JSON.stringify(body) } : undefined)).json()) as any;
const nic = (...args: string[]) => nicAsync([...args, "-f", config, "--format", "json"], { ...sandbox.env, HOME: dir });

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, aksClusterDelete: 100, aksPoolDelete: 100, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never });
  dir = tempDir("nic-azure-faults-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8"));
});

afterAll(async () => {
  await sandbox?.stop();
});

test("deploy converges under 5xx, throttling and latency; then no changes; destroy leaves nothing", async () => {
  await control("/faults", { service: "containerregistry", action: "Registries_Create", kind: "error", status: 500, code: "InternalServerError", times: 2 });
  await control("/faults", { service: "containerservice", action: "ManagedClusters_CreateOrUpdate", kind: "error", status: 503, code: "ServiceUnavailable", times: 1 });
  await control("/faults", { service: "containerservice", action: "AgentPools_Get", kind: "throttle", times: 3 });
  await control("/faults", { service: "containerservice", action: "AgentPools_CreateOrUpdate", kind: "latency", latencyMs: 300, jitterMs: 200 });
  const r = await nic("deploy");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const failed = ((await control("/calls")).calls as { status: number }[]).filter((c) => c.status >= 429);
  expect(failed.length).toBe(6);
  await fetch(`${sandbox.controlEndpoint}/faults`, { method: "DELETE" });

  const again = await nic("deploy", "--dry-run", "--detailed-exitcode");
  expect(again.code, again.stdout).toBe(0);
  const destroyed = await nic("destroy", "--yes");
  expect(destroyed.code, destroyed.stderr).toBe(0);
  const left = ((await control("/inventory")).resources as { type: string }[]).filter((x) => x.type.startsWith("azure:"));
  expect(left).toEqual([]);
}, 120_000);
