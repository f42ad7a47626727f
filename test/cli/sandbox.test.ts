// The command line on the sandbox, through the compiled binary: where NIC writes its files, what it prints while it works.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { onTerminal as onTerminalRun } from "./terminal.ts";

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

  // nic output reads them back, as terraform output does.
  const state = ["--state", join(stateDir, "nic-state.json")];
  const listed = await run(["output", ...state]);
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain(`kubeconfig_filename         = "${join(stateDir, "kubeconfig")}"`);
  expect(listed.stdout).toContain("kubernetes_credentials      = <sensitive>");
  expect((await run(["output", "kubeconfig_filename", "--raw", ...state])).stdout).toBe(`${join(stateDir, "kubeconfig")}\n`);
  expect((await run(["output", "kubeconfig_filename", "--raw", "--outputs", join(outDir, "outputs.json")])).stdout).toBe(`${join(outDir, "kubeconfig")}\n`);
  expect(JSON.parse((await run(["output", "node_selectors", "--json", ...state])).stdout)).toHaveProperty("general");
  expect(JSON.parse((await run(["output", "--json", ...state])).stdout).kubeconfig_filename.value).toBe(join(stateDir, "kubeconfig"));
  const wrong = await run(["output", "kubeconfig_filenam", ...state, "--format", "json"]);
  expect(wrong.code).toBe(3);
  expect(JSON.parse(wrong.stdout).error.recovery_suggestions).toEqual(["Did you mean `nic output kubeconfig_filename`?"]);
  expect((await run(["output", "node_selectors", "--raw", ...state])).code).toBe(3);
}, 120_000);

test("without a terminal: a line per operation started and finished, a heartbeat while one runs; in json mode the same as events", async () => {
  const folder = tempDir("nic-progress-");
  const file = join(folder, "nebari-config.yaml");
  writeFileSync(file, DEMO.replace("project_name: nicdemo", "project_name: nicprog"));
  await fetch(`${sandbox.controlEndpoint}/delays`, { method: "PUT", body: JSON.stringify({ eksClusterCreate: 2500, eksClusterDelete: 2500 }) });
  try {
    const env = { ...sandbox.env, HOME: dir, NIC_HEARTBEAT: "1" };
    const text = await nicAsync(["deploy", "-f", file], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^info: \[\d+\/\d+\] Creating aws\/eks_cluster\/main$/m);
    expect(text.stderr).toMatch(/^info: aws\/eks_cluster\/main: still creating… \[[12]s elapsed\]$/m);
    expect(text.stderr).toMatch(/^info: Created aws\/eks_cluster\/main \(\d+\.\ds\)$/m);
    expect(text.stderr).not.toContain("\r");

    const json = await nicAsync(["destroy", "-f", file, "--yes", "--format", "json"], env);
    expect(json.code, json.stderr).toBe(0);
    const events = json.stderr.trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.event);
    expect(events.some((l) => l.event.type === "heartbeat" && l.event.address === "aws/eks_cluster/main" && l.event.operation === "delete")).toBe(true);
    expect(events.some((l) => l.event.type === "done" && l.event.address === "aws/eks_cluster/main")).toBe(true);
  } finally {
    await fetch(`${sandbox.controlEndpoint}/delays`, { method: "PUT", body: JSON.stringify({ eksClusterCreate: 100, eksClusterDelete: 0 }) });
  }
}, 120_000);

const APPLY = "Apply these changes?";
const onTerminal = (args: string[], key: string) =>
  onTerminalRun(args, { ...sandbox.env, HOME: dir }, [[APPLY, key]]).then((r) => ({ ...r, asked: r.answered > 0 }));

test("on a terminal deploy shows the plan, then asks; no changes nothing, yes applies; --yes and no terminal never ask", async () => {
  const folder = tempDir("nic-ask-");
  const file = join(folder, "nebari-config.yaml");
  writeFileSync(file, DEMO.replace("project_name: nicdemo", "project_name: nicask"));
  const no = await onTerminal(["deploy", "-f", file], "n");
  expect(no.asked, no.seen).toBe(true);
  expect(no.seen).toContain("+ aws/eks_cluster/main");
  expect(no.code).toBe(3);
  expect(no.seen).toContain("CONFIRMATION_REQUIRED");
  expect(existsSync(join(folder, ".nebari/stages/02-infrastructure/nic-state.json"))).toBe(false);

  const yes = await onTerminal(["deploy", "-f", file], "y");
  expect(yes.asked).toBe(true);
  expect(yes.code, yes.seen).toBe(0);
  expect(existsSync(join(folder, ".nebari/stages/02-infrastructure/outputs.json"))).toBe(true);

  const again = await onTerminal(["deploy", "-f", file, "--auto-approve"], "n");
  expect({ asked: again.asked, code: again.code }).toEqual({ asked: false, code: 0 });
  const piped = await run(["deploy", "-f", file]); // no terminal: Nebari's subprocess never sees a question
  expect(piped.code, piped.stderr).toBe(0);
}, 120_000);
