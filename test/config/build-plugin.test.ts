// The build's steps that make @ark/schema's import lazy (src/config/build-plugin.ts): a bundle made with them validates,
// reports and exports JSON Schema exactly as arktype unpatched does, and still computes a union's discriminant and the
// JSON intrinsics when asked.
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lazyArkDiscriminants, lazyArkJsonIntrinsics } from "../../src/config/build-plugin.ts";

const PROBE = `
import { shapeErrors, shapeJsonSchema } from "${join(import.meta.dir, "../../src/config/schema.ts")}";
import { ark } from "${join(import.meta.dir, "../../src/config/ark.ts")}";
import { $ark } from "${Bun.resolveSync("@ark/schema", import.meta.dir)}";
const group = { instance: 5, min_nodes: -1, taints: [7, { key: "a", value: null, effect: "Nope" }, "x=y:NoSchedule"] };
const union = ark.type("'a' | 'b' | 1");
console.log(JSON.stringify({
  errors: shapeErrors("aws_node_group", group),
  ci: shapeErrors("ci_cd", { type: "circle", before_script: [1, "ok"] }),
  schema: shapeJsonSchema("amazon_web_services"),
  discriminant: union.internal.discriminantJson,
  withDefault: ark.type({ size: ["number", "=", 5] })({}),
  json: [$ark.intrinsic.jsonData.allows({ a: [1, "b", null] }), $ark.intrinsic.jsonData.allows({ a: undefined }), $ark.intrinsic.jsonPrimitive.expression],
}));
`;

test("a bundle built with the plugin gives arktype's own answers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nic-ark-plugin-"));
  const entry = join(dir, "probe.ts");
  writeFileSync(entry, PROBE);
  const build = await Bun.build({ entrypoints: [entry], target: "bun", outdir: join(dir, "out"), plugins: [lazyArkDiscriminants, lazyArkJsonIntrinsics] });
  expect(build.success).toBe(true);
  const bundle = await Bun.file(build.outputs[0]!.path).text();
  expect([/get discriminant\(\)/.test(bundle), /discriminant = this\.discriminate\(\)/.test(bundle)]).toEqual([true, false]);
  expect([/buildIntrinsicJson\(\)\[name\]/.test(bundle), /\.\.\.intrinsicJson/.test(bundle)]).toEqual([true, false]);
  const run = (file: string) => Bun.spawnSync([process.execPath, file], { stdout: "pipe", stderr: "pipe" }).stdout.toString();
  const patched = JSON.parse(run(build.outputs[0]!.path));
  expect(patched).toEqual(JSON.parse(run(entry)));
  expect(patched.errors.length).toBeGreaterThan(2);
  expect(patched.discriminant).toMatchObject({ kind: "unit" });
  expect(patched.withDefault).toEqual({ size: 5 });
  expect(patched.json.slice(0, 2)).toEqual([true, false]);
}, 60_000);
