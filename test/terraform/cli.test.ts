// `nic import` through the command line (the sources, run by the pinned Bun): flags and aliases, structured errors
// for bad Terraform states with their exit codes, and nothing written when it fails.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/files.ts";

const ROOT = join(import.meta.dir, "../..");
const BUN = join(ROOT, "node_modules/.bin/bun");
const CONFIG = readFileSync(join(ROOT, "fixtures/configs/demo-aws.yaml"), "utf8");

function nic(args: string[], cwd: string) {
  const r = Bun.spawnSync([BUN, join(ROOT, "src/main.ts"), ...args, "--format", "json"], { cwd, env: { PATH: process.env.PATH ?? "", HOME: tempDir("nic-home-") }, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, doc: JSON.parse(r.stdout.toString() || "{}"), stderr: r.stderr.toString() };
}

function project(): string {
  const dir = tempDir("nic-import-cli-");
  writeFileSync(join(dir, "nebari-config.yaml"), CONFIG);
  return dir;
}

describe("nic import", () => {
  test("without --from-terraform it is an input error", () => {
    const r = nic(["import", "-f", "nebari-config.yaml"], project());
    expect(r.code).toBe(3);
    expect(r.doc.error.code).toBe("INPUT_INVALID");
  }, 30_000);

  test("the design document's aliases are accepted (--config, --output-state, --output-file)", () => {
    const dir = project();
    const r = nic(["import", "--from-terraform", "--config", "nebari-config.yaml", "--output-state", "s.json", "--output-file", "o.json", "--terraform-state-02", "absent.tfstate"], dir);
    expect(r.doc.error.code).toBe("TFSTATE_NOT_FOUND");
    expect(r.doc.error.details.tried).toEqual([join(dir, "absent.tfstate")]);
  }, 30_000);

  test("corrupt, truncated, older and locked states fail with their code and exit code, writing nothing", () => {
    const example = readFileSync(join(ROOT, "fixtures/tfstate/aws-example.tfstate.json"), "utf8");
    const cases: [string, string, number][] = [
      ["corrupt", example.replace('"resources"', '"resources" ::'), 3],
      ["truncated", example.slice(0, 3000), 3],
      ["older", JSON.stringify({ version: 3, serial: 1, modules: [] }), 3],
    ];
    for (const [name, text, exit] of cases) {
      const dir = project();
      writeFileSync(join(dir, "terraform.tfstate"), text);
      const r = nic(["import", "--from-terraform", "-f", "nebari-config.yaml", "--terraform-state-02", "terraform.tfstate"], dir);
      expect({ name, code: r.code }).toEqual({ name, code: exit });
      expect(r.doc.error.code).toBe(name === "older" ? "TFSTATE_UNSUPPORTED_VERSION" : "TFSTATE_INVALID");
      expect(readdirSync(dir).sort()).toEqual(["nebari-config.yaml", "terraform.tfstate"]);
    }
    const dir = project();
    writeFileSync(join(dir, "terraform.tfstate"), example);
    writeFileSync(join(dir, ".terraform.tfstate.lock.info"), JSON.stringify({ ID: "abc", Who: "bob@ci", Operation: "OperationTypeApply", Created: "2026-11-27T06:00:00Z" }));
    const r = nic(["import", "--from-terraform", "-f", "nebari-config.yaml", "--terraform-state-02", "terraform.tfstate"], dir);
    expect(r.code).toBe(4);
    expect(r.doc.error).toMatchObject({ code: "TFSTATE_LOCKED", details: { lock: { id: "abc", who: "bob@ci" } } });
    expect(existsSync(join(dir, ".nebari"))).toBe(false);
  }, 60_000);
});

// GCP's import (mapping, live verification, adoption) is tested against the sandbox in gcp-import.test.ts.
