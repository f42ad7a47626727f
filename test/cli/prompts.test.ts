// The confirmations of destroy, drift fix and state unlock on a real pseudo-terminal, through the compiled binary:
// consola's prompt asks, only the documented answer proceeds, and json mode, --yes/--force and no terminal never ask.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { openBackend } from "../../src/state/open.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { onTerminal } from "./terminal.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml"), "utf8");
let sandbox: Sandbox;
let dir: string;
let config: string;
let env: Record<string, string>;
const state = () => join(dir, ".nebari/stages/02-infrastructure/nic-state.json");
const resources = () => Object.keys(JSON.parse(readFileSync(state(), "utf8")).resources).length;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { eksClusterCreate: 50, eksNodegroupCreate: 20, eksAddonCreate: 10, efsCreate: 10 } });
  dir = tempDir("nic-prompts-");
  env = { ...sandbox.env, HOME: dir };
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO.replace("project_name: nicdemo", "project_name: nicprompt"));
  const deployed = await nicAsync(["deploy", "-f", config], env); // no terminal: nothing asks
  expect(deployed.code, deployed.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
});

test("drift fix shows the plan and proceeds only on a typed yes; json mode and no terminal need --yes", async () => {
  const mutated = await fetch(`${sandbox.controlEndpoint}/mutate`, {
    method: "POST",
    body: JSON.stringify({ type: "eks:nodegroup", id: "nicprompt-dev/user", set: { spec: { scalingConfig: { maxSize: 9 } } } }),
  });
  expect(((await mutated.json()) as { success: boolean }).success).toBe(true);
  const drifted = async () => (await nicAsync(["drift", "detect", "-f", config, "--detailed-exitcode"], env)).code;
  expect(await drifted()).toBe(2);

  const QUESTION = 'Only "yes" proceeds';
  const y = await onTerminal(["drift", "fix", "-f", config], env, [[QUESTION, "y\r"]]);
  expect(y.answered, y.seen).toBe(1);
  expect(y.seen).toContain("~ aws/eks_node_group/user");
  expect(y.seen).toContain("CONFIRMATION_REQUIRED");
  expect(y.code).toBe(3);
  expect(await drifted()).toBe(2);

  const json = await onTerminal(["drift", "fix", "-f", config, "--format", "json"], env, [[QUESTION, "yes\r"]]);
  expect({ answered: json.answered, code: json.code }).toEqual({ answered: 0, code: 3 });
  expect(json.seen).toContain('"code": "CONFIRMATION_REQUIRED"');
  expect((await nicAsync(["drift", "fix", "-f", config], env)).code).toBe(3);

  const yes = await onTerminal(["drift", "fix", "-f", config], env, [[QUESTION, "yes\r"]]);
  expect(yes.code, yes.seen).toBe(0);
  expect(yes.seen).toContain("Fixed: the infrastructure matches the configuration again.");
  expect(await drifted()).toBe(0);
}, 120_000);

test("state unlock asks yes/no on a terminal; no keeps the lock, yes breaks it; without a terminal it needs --force", async () => {
  const backend = await openBackend(state());
  await backend.lock({ id: "lock-prompt", operation: "deploy", who: "someone@elsewhere", pid: 1, version: "0", created: new Date().toISOString(), path: state() });
  const QUESTION = "Break the lock held by someone@elsewhere";
  expect((await nicAsync(["state", "unlock", "-f", config], env)).code).toBe(3);

  const no = await onTerminal(["state", "unlock", "-f", config], env, [[QUESTION, "n"]]);
  expect(no.answered, no.seen).toBe(1);
  expect(no.code).toBe(3);
  expect((await backend.describeLock())?.id).toBe("lock-prompt");

  const yes = await onTerminal(["state", "unlock", "-f", config], env, [[QUESTION, "y"]]);
  expect(yes.code, yes.seen).toBe(0);
  expect(yes.seen).toContain("Broke the lock on");
  expect(await backend.describeLock()).toBeUndefined();
}, 60_000);

test("destroy proceeds only when the project name is typed; json mode and no terminal need --yes", async () => {
  const QUESTION = "Type the project name (nicprompt) to confirm";
  const before = resources();
  const wrong = await onTerminal(["destroy", "-f", config], env, [[QUESTION, "yes\r"]]);
  expect(wrong.answered, wrong.seen).toBe(1);
  expect(wrong.code).toBe(3);
  expect(wrong.seen).toContain("DESTROY_REFUSED");
  expect(resources()).toBe(before);

  const json = await onTerminal(["destroy", "-f", config, "--format", "json"], env, [[QUESTION, "nicprompt\r"]]);
  expect({ answered: json.answered, code: json.code }).toEqual({ answered: 0, code: 3 });
  expect((await nicAsync(["destroy", "-f", config], env)).code).toBe(3);
  expect(resources()).toBe(before);

  const typed = await onTerminal(["destroy", "-f", config], env, [[QUESTION, "nicprompt\r"]]);
  expect(typed.code, typed.seen).toBe(0);
  expect(typed.seen).toMatch(/Destroyed: \d+ resources deleted/);
  expect(existsSync(state()) ? resources() : 0).toBe(0);
}, 120_000);
