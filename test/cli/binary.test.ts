// Smoke and protocol tests on the compiled binary: result documents on stdout, logs on stderr, stable exit codes.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { NIC, nic, requireBinary } from "../helpers/binary.ts";
import { tempDir, writeTemp } from "../helpers/files.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures");
const AWS_HAPPY = join(FIXTURES, "conformance/nebari-configs/aws.happy.yaml");

describe("compiled nic binary", () => {
  test("version prints the version, commit and providers in text and JSON", () => {
    const text = nic(["version"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^nic \d+\.\d+\.\d+ \(commit [0-9a-f]{12}(-dirty)?|unknown/);
    const json = JSON.parse(nic(["version", "--format", "json"]).stdout);
    expect(json.success).toBe(true);
    expect(json.providers.map((p: { name: string }) => p.name)).toEqual(["aws", "gcp", "azure", "local", "existing"]);
  });

  test("--help lists the commands and loads quickly without any config", () => {
    const help = nic(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("validate");
    expect(nic(["validate", "--help"]).stdout).toContain("--strict");
  });

  test("validate on a fixture: summary on stdout, exit 0", () => {
    const run = nic(["validate", "-f", AWS_HAPPY, "--format", "json"]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ success: true, provider: "aws", cluster_name: "test-dev" });
    expect(doc.node_groups.map((g: { name: string }) => g.name)).toEqual(["general", "user", "worker"]);
  });

  test("an invalid config gives the JSON error document and exit 3", () => {
    const file = writeTemp("bad.yaml", "project_name: 1bad\n");
    const run = nic(["validate", "-f", file, "--format", "json"]);
    expect(run.code).toBe(3);
    const doc = JSON.parse(run.stdout);
    expect(doc.success).toBe(false);
    expect(doc.error.code).toBe("CONFIG_INVALID");
    expect(doc.error.details.errors[0]).toMatchObject({ path: "project_name", line: 1, column: 1 });
    expect(doc.error.recovery_suggestions.length).toBeGreaterThan(0);
  });

  test("flag errors are input errors (exit 3), reported in the requested format", () => {
    const run = nic(["validate", "--strcit", "--format", "json"]);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: "INPUT_INVALID", recovery_suggestions: ["Did you mean --strict?"] });
    expect(nic(["validate", "--format", "yaml"]).code).toBe(3);
    expect(nic(["deploi"]).stderr).toContain("Unknown command");
  });

  test("json logs are one object per line on stderr; stdout holds only the document", () => {
    const run = nic(["validate", "-f", AWS_HAPPY, "--format", "json", "--log-level", "debug"]);
    const lines = run.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), message: expect.any(String), time: expect.any(String) });
    expect(JSON.parse(run.stdout).success).toBe(true);
  });

  test("NO_COLOR and pipes: no escape sequences anywhere", () => {
    const run = nic(["validate", "-f", join(tempDir(), "missing.yaml")], { NO_COLOR: "1" });
    expect(run.code).toBe(3);
    expect(run.stderr + run.stdout).not.toContain("\x1b[");
  });

  test("a compiled binary does not autoload .env or bunfig.toml from the working folder", () => {
    const dir = tempDir();
    writeTemp(".env", "NEBARI_SECRET__project_name=fromdotenv\n", dir);
    writeTemp("bunfig.toml", 'preload = ["./nonexistent.ts"]\n', dir);
    writeTemp("nebari-config.yaml", "project_name: fromfile\n", dir);
    const run = nic(["validate", "--format", "json"], {}, dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).project_name).toBe("fromfile");
  });

  test("a multi-megabyte JSON document arrives whole through a slow pipe", async () => {
    requireBinary();
    const groups = Array.from({ length: 8000 }, (_, i) => `    g${i}: {instance: m5.large}`).join("\n");
    const file = writeTemp("big.yaml", `project_name: demo\namazon_web_services:\n  region: us-east-1\n  kubernetes_version: '1.33'\n  node_groups:\n${groups}\n`);
    const child = Bun.spawn([NIC, "validate", "-f", file, "--format", "json"], { stdout: "pipe", stderr: "ignore" });
    const chunks: Uint8Array[] = [];
    for await (const chunk of child.stdout) {
      chunks.push(chunk);
      await Bun.sleep(1); // a slow reader: the writer must wait, not exit early
    }
    expect(await child.exited).toBe(0);
    const text = Buffer.concat(chunks).toString();
    expect(text.length).toBeGreaterThan(2_000_000);
    expect(JSON.parse(text).node_groups).toHaveLength(8000);
  });
});
