// Only src/providers may load cloud SDKs, and only on first use: `nic --help` must not pay for them.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../../../src/providers/aws");
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));

test("the AWS provider imports SDK modules only as types or with a dynamic import()", () => {
  const eager = files(ROOT).flatMap((f) => readFileSync(f, "utf8").split("\n").filter((l) => /^import (?!type )[^;]*from "@(aws-sdk|smithy)\//.test(l)).map((l) => `${f}: ${l}`));
  expect(files(ROOT).length).toBeGreaterThan(10);
  expect(eager).toEqual([]);
});

test("loading the provider starts no SDK", async () => {
  const script = `await import(${JSON.stringify(join(ROOT, "index.ts"))}); console.log(Object.keys(require.cache).filter((k) => k.includes("@aws-sdk") || k.includes("@smithy")).length);`;
  const run = Bun.spawnSync([process.execPath, "-e", script], { stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(run.stdout.toString().trim()).toBe("0");
});
