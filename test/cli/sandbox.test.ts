// The command line on the sandbox, through the compiled binary: where NIC writes its files, what it prints while it works.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml"), "utf8");
let sandbox: Sandbox;
let dir: string;
let config: string;
const run = (args: string[]) => nicAsync(args, { ...sandbox.env, HOME: dir });

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { eksClusterCreate: 100, eksNodegroupCreate: 50, eksAddonCreate: 20, efsCreate: 20 } });
  dir = tempDir("nic-cli-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO);
});

afterAll(async () => {
  await sandbox?.stop();
});

test("outputs.json follows --state, the kubeconfig follows outputs.json, and kubeconfig_filename names it", async () => {
  const stateDir = tempDir("nic-state-");
  const first = await run(["deploy", "-f", config, "--state", join(stateDir, "nic-state.json"), "--format", "json"]);
  expect(first.code, first.stderr + first.stdout).toBe(0);
  expect(existsSync(join(stateDir, "outputs.json"))).toBe(true);
  expect(existsSync(join(stateDir, "kubeconfig"))).toBe(true);
  expect(existsSync(join(dir, ".nebari"))).toBe(false); // nothing written beside the config
  expect(JSON.parse(readFileSync(join(stateDir, "outputs.json"), "utf8")).kubeconfig_filename.value).toBe(join(stateDir, "kubeconfig"));

  const outDir = tempDir("nic-out-");
  const second = await run(["deploy", "-f", config, "--state", join(stateDir, "nic-state.json"), "--outputs", join(outDir, "outputs.json"), "--format", "json"]);
  expect(second.code, second.stderr + second.stdout).toBe(0);
  const outputs = JSON.parse(readFileSync(join(outDir, "outputs.json"), "utf8"));
  expect(outputs.kubeconfig_filename.value).toBe(join(outDir, "kubeconfig"));
  expect(existsSync(join(outDir, "kubeconfig"))).toBe(true);
  expect(existsSync(join(dir, ".nebari"))).toBe(false);
}, 120_000);
