// Issue 21 (1, 5, 6): the intent journal settles, dry-run refuses what deploy refuses, and one state owns a deployment.
// On the compiled binary and the sandbox.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { DEMO, Stack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(async () => {
  await stack?.stop();
});

const readState = () => JSON.parse(readFileSync(stack.statePath, "utf8"));
const status = async () => JSON.parse((await nicAsync(["status", "-f", stack.config, "--format", "json"], stack.env)).stdout);
const MUTATING = /^(Create|Delete|Update|Modify|Put|Attach|Detach|Associate|Authorize|Revoke|Tag|Untag|Run|Register)/;
const mutatingCalls = async () => ((await stack.control("/calls")).calls as Array<{ action: string }>).filter((c) => MUTATING.test(c.action)).map((c) => c.action);

const pendingNow = () => {
  try {
    return readState().pending_operations.length;
  } catch {
    return 0; // no state written yet
  }
};

/**
 * Waits until the state file of a running deploy holds a journal entry, then kills the process. The calls in flight may
 * all have ended between that read and the kill (a loaded machine can pause this process there); such a run left nothing
 * to settle, so it is tried again on an emptied sandbox, up to three times.
 */
async function killWithPendingEntry(): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const child = stack.spawnDeploy();
    while (child.exitCode === null && !pendingNow()) await Bun.sleep(5);
    child.kill("SIGKILL");
    await child.exited;
    // A killed holder's lock is stale by design: the user breaks it.
    if (existsSync(`${stack.statePath}.lock`)) expect((await nicAsync(["state", "unlock", "--force", "-f", stack.config], stack.env)).code).toBe(0);
    const left = pendingNow();
    if (left > 0 || attempt === 3) return left;
    await stack.reset();
  }
}

test("a deploy SIGKILLed with calls in flight: the next deploy settles every journal entry, status is healthy, nothing is untracked", async () => {
  await stack.reset();
  const left = await killWithPendingEntry();
  expect(left).toBeGreaterThan(0);
  expect((await status()).healthy).toBe(false);

  // A create the killed run journaled and the cloud does not show yet is waited for up to one request deadline.
  const run = await stack.deploy("--request-timeout", "3s");
  expect(run.code, run.stdout.slice(0, 1500)).toBe(0);
  expect(readState().pending_operations).toEqual([]);
  const report = await status();
  expect(report.issues).toEqual([]);
  expect(report.healthy).toBe(true);
  expect(await stack.untracked()).toEqual([]);
  expect(await stack.duplicates()).toEqual([]);
}, 90_000);

test("entries a cut-off run left on tracked resources (a cancelled update, a delete of what is gone) are resolved by the next deploy and by drift accept", async () => {
  await stack.reset();
  expect((await stack.deploy()).code).toBe(0);
  const at = new Date().toISOString();
  const withEntries = () => {
    const state = readState();
    state.pending_operations = [
      { id: crypto.randomUUID(), address: "aws/eks_cluster/main", kind: "aws/eks_cluster", operation: "update", idempotency_token: crypto.randomUUID(), resource_id: "nicdemo-dev", started_at: at, unknown_reason: "cancelled" },
      { id: crypto.randomUUID(), address: "aws/security_group/gone", kind: "aws/security_group", operation: "delete", idempotency_token: crypto.randomUUID(), resource_id: "sg-0gone", started_at: at },
    ];
    writeFileSync(stack.statePath, JSON.stringify(state, null, 2));
  };

  withEntries();
  expect((await status()).issues.map((i: { code: string }) => i.code)).toEqual(["pending_operation", "pending_operation"]);
  const run = await stack.deploy();
  expect(run.code, run.stdout.slice(0, 1500)).toBe(0);
  expect(readState().pending_operations).toEqual([]);
  expect((await status()).healthy).toBe(true);

  withEntries();
  const accept = await nicAsync(["drift", "accept", "-f", stack.config, "--yes", "--format", "json"], stack.env);
  expect(accept.code, accept.stdout.slice(0, 1500)).toBe(0);
  // The update's resource was observed; the delete's address is neither desired nor tracked, so nothing can resolve it.
  expect(readState().pending_operations.map((op: { address: string }) => op.address)).toEqual(["aws/security_group/gone"]);
}, 90_000);

test("a second, empty state for a deployed project adopts nothing: deploy and its dry run stop with RESOURCE_NOT_OWNED, listing what they found, before any change", async () => {
  await stack.reset();
  expect((await stack.deploy()).code).toBe(0);
  const other = tempDir("nic-second-owner-");
  writeFileSync(join(other, "nebari-config.yaml"), DEMO);
  await stack.control("/calls", { method: "DELETE" });

  for (const extra of [[], ["--dry-run", "--detailed-exitcode"]]) {
    const run = await nicAsync(["deploy", "-f", join(other, "nebari-config.yaml"), "--format", "json", ...extra], { ...stack.env, HOME: other });
    expect(run.code, run.stdout.slice(0, 1500)).toBe(1);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe("RESOURCE_NOT_OWNED");
    expect(error.details.found.map((f: { address: string }) => f.address)).toContain("aws/vpc/main");
    expect(error.recovery_suggestions.join(" ")).toContain("nic import");
  }
  expect(await mutatingCalls()).toEqual([]);
}, 90_000);

test("dry-run refuses a state of another project, as deploy does (STATE_CONFLICT)", async () => {
  await stack.reset();
  mkdirSync(join(stack.dir, ".nebari/stages/02-infrastructure"), { recursive: true });
  const state = {
    version: "0.0.0", format_version: "1", provider: "aws", project_name: "someoneelse", region: "us-east-1", lineage: crypto.randomUUID(), serial: 1,
    metadata: { created: new Date().toISOString(), updated: new Date().toISOString(), nic_version: "0.0.0", configuration_hash: null, last_successful_deploy: null, deploy_count: 0 },
    resources: {}, pending_operations: [],
  };
  writeFileSync(stack.statePath, JSON.stringify(state));
  for (const extra of [["--dry-run", "--detailed-exitcode"], []]) {
    const run = await stack.deploy(...extra);
    expect(JSON.parse(run.stdout).error?.code, run.stdout.slice(0, 800)).toBe("STATE_CONFLICT");
    expect(run.code).toBe(1);
  }
}, 60_000);
