// The command line on the compiled binary: citty's command tree, global flags anywhere, help, "did you mean", strict flags.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES, ExitCode } from "../../src/cli/errors.ts";
import { helpPages, stripColor } from "../../src/cli/help.ts";
import { wantsColor } from "../../src/cli/log.ts";
import { paintPlan } from "../../src/cli/paint.ts";
import { NIC, nic } from "../helpers/binary.ts";

const errorOf = (args: string[]) => {
  const run = nic([...args, "--format", "json"]);
  return { code: run.code, error: JSON.parse(run.stdout).error };
};

test("global flags work before and after the command", () => {
  for (const args of [["--format", "json", "version"], ["version", "--format", "json"], ["--format=json", "--no-color", "version"], ["--log-level", "debug", "--format", "json", "version"]]) {
    const run = nic(args);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).success).toBe(true);
  }
  expect(nic(["--format", "yaml", "version"]).code).toBe(3);
});

test("help: top level lists commands, examples, environment and exit codes; `nic help CMD` equals `CMD --help`", () => {
  const top = nic(["--help"]).stdout;
  for (const word of ["deploy", "destroy", "state", "drift", "EXAMPLES", "ENVIRONMENT", "NIC_RECORD", "NO_COLOR", "KUBECONFIG", "EXIT CODES"]) expect(top).toContain(word);
  expect(nic([]).stdout).toBe(top);
  const deploy = nic(["deploy", "--help"]);
  expect(deploy.code).toBe(0);
  expect(deploy.stdout).toContain("--dry-run");
  expect(deploy.stdout).toContain("-f, --file, --config=<FILE>");
  expect(deploy.stdout).toContain("--log-level"); // global flags are listed too
  expect(nic(["help", "deploy"]).stdout).toBe(deploy.stdout);
  expect(deploy.stdout + top).not.toContain("\x1b[");
});

test("state and drift are command groups with their own help", () => {
  for (const [group, subs] of [["state", ["show", "pull", "push", "unlock"]], ["drift", ["detect", "diff", "accept", "fix"]]] as const) {
    const help = nic([group, "--help"]);
    expect(help.code).toBe(0);
    for (const sub of subs) expect(help.stdout).toContain(sub);
    expect(nic([group, subs[0], "--help"]).stdout).toContain(`nic ${group} ${subs[0]}`);
    expect(errorOf([group]).error.recovery_suggestions[0]).toContain(`nic ${group} ${subs[1]}`);
  }
});

test("unknown commands and flags get a suggestion; plan and apply point at deploy", () => {
  expect(errorOf(["deploi"]).error.recovery_suggestions).toEqual(["Did you mean `nic deploy`?"]);
  expect(errorOf(["state", "pul"]).error.recovery_suggestions).toEqual(["Did you mean `nic state pull`?"]);
  expect(errorOf(["plan"]).error.recovery_suggestions[0]).toContain("nic deploy --dry-run");
  expect(errorOf(["apply"]).error.recovery_suggestions[0]).toContain("`nic deploy`");
  expect(errorOf(["validate", "--strcit"])).toMatchObject({ code: 3, error: { code: "INPUT_INVALID", recovery_suggestions: ["Did you mean --strict?"] } });
  expect(errorOf(["destroy", "--auto-aprove"]).error.recovery_suggestions).toEqual(["Did you mean --auto-approve?"]);
  const text = nic(["deploi"]);
  expect(text.code).toBe(3);
  expect(text.stderr).toContain('error[INPUT_INVALID]: Unknown command "deploi"');
});

test("flag values are checked: missing, repeated, bad booleans, extra arguments", () => {
  for (const args of [["validate", "-f"], ["validate", "-f", "a", "-f", "b"], ["validate", "--strict=maybe"], ["validate", "extra"], ["state", "push", "a", "b"]]) {
    const { code, error } = errorOf(args);
    expect({ args, code, err: error.code }).toEqual({ args, code: 3, err: "INPUT_INVALID" });
  }
});

test("nic version lists what each provider really does", () => {
  const providers = JSON.parse(nic(["version", "--format", "json"]).stdout).providers;
  expect(providers.find((p: { name: string }) => p.name === "aws").capabilities).toEqual(["validate", "deploy", "import", "drift", "destroy"]);
  expect(nic(["version"]).stdout).toMatch(/aws .* validate, deploy, import, drift, destroy/);
});

test("every error code and exit code is documented in the README", () => {
  const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
  const undocumented = Object.keys(ERROR_CODES).filter((code) => !readme.includes(`| \`${code}\` | ${ERROR_CODES[code as keyof typeof ERROR_CODES].exit} |`));
  expect(undocumented).toEqual([]);
  const exitCodes = Object.values(ExitCode).filter((value) => !readme.includes(`| ${value} |`));
  expect(exitCodes).toEqual([]);
});

test("-f - reads the configuration from stdin", () => {
  const yaml = readFileSync(join(import.meta.dir, "../../fixtures/conformance/nebari-configs/aws.happy.yaml"));
  const run = Bun.spawnSync([NIC, "validate", "-f", "-", "--format", "json"], { stdin: yaml, env: { PATH: process.env.PATH ?? "", HOME: "/tmp" } });
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.stdout.toString())).toMatchObject({ success: true, provider: "aws", cluster_name: "test-dev" });
  const bad = Bun.spawnSync([NIC, "validate", "-f", "-", "--format", "json"], { stdin: Buffer.from("project_name: 1bad\n") });
  expect(bad.exitCode).toBe(3);
  expect(JSON.parse(bad.stdout.toString()).error.code).toBe("CONFIG_INVALID");
});

test("NO_COLOR as no-color.org defines it: only a non-empty value turns colour off", () => {
  expect(wantsColor({}, true)).toBe(true);
  expect(wantsColor({ NO_COLOR: "" }, true)).toBe(true);
  expect(wantsColor({ NO_COLOR: "0" }, true)).toBe(false);
  expect(wantsColor({ NO_COLOR: "1" }, true)).toBe(false);
  expect(wantsColor({ TERM: "dumb" }, true)).toBe(false);
  expect(wantsColor({}, false)).toBe(false);
});

test("plan symbols are coloured as Terraform colours them, and only the symbols", () => {
  const plan = ["  + aws/vpc/main", "      + cidr: \"10.10.0.0/16\"", "  ~ aws/eks_node_group/user", "-/+ aws/eks_cluster/main", "  - k8s/namespace/_cluster/old", "Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy."].join("\n");
  const painted = paintPlan(plan);
  expect(painted).toContain("  \x1b[32m+\x1b[0m aws/vpc/main");
  expect(painted).toContain("      \x1b[32m+\x1b[0m cidr:");
  expect(painted).toContain("  \x1b[33m~\x1b[0m aws/eks_node_group/user");
  expect(painted).toContain("\x1b[35m-/+\x1b[0m aws/eks_cluster/main");
  expect(painted).toContain("  \x1b[31m-\x1b[0m k8s/namespace");
  expect(stripColor(painted)).toBe(plan);
});

test("a group without its command shows the group's help, as a bare nic does; in json mode it is an input error", () => {
  for (const group of ["state", "drift"]) {
    const bare = nic([group]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toBe(nic([group, "--help"]).stdout);
    const json = nic([group, "--format", "json"]);
    expect([json.code, JSON.parse(json.stdout).error.code]).toEqual([3, "INPUT_INVALID"]);
  }
  expect(nic(["state", "--force"]).stderr).toContain('Unexpected argument "--force" for nic state');
});

test("the help pages built into the binary are citty's rendering of the command tree, for every command", async () => {
  const pages = await helpPages();
  expect(Object.keys(pages)).toContain("nic state pull");
  for (const [key, page] of Object.entries(pages)) {
    const words = key.split(" ").slice(1);
    const shown = nic([...words, "--help"]);
    expect({ key, code: shown.code, stdout: shown.stdout }).toEqual({ key, code: 0, stdout: stripColor(page) });
  }
  expect(nic(["help", "deploy"]).stdout).toBe(stripColor(pages["nic deploy"]!));
});
