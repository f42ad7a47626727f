// Messages for the mistakes real files make: legacy keys, the Go NIC format, copy-paste accidents, hostile YAML, huge values.
import { describe, expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig, type LoadOptions } from "../../src/config/load.ts";
import { writeTemp } from "../helpers/files.ts";

type Found = { path: string; text: string; line?: number; found?: string; message: string };
function check(yaml: string | Uint8Array, opts: LoadOptions = {}) {
  try {
    const loaded = loadConfig(writeTemp("nebari-config.yaml", yaml), { env: {}, ...opts });
    return { errors: [] as Found[], warnings: loaded.warnings as Found[], error: undefined };
  } catch (err) {
    if (!(err instanceof NicError)) throw err;
    return { errors: (err.details.errors as Found[]) ?? [], warnings: (err.details.warnings as Found[]) ?? [], error: err };
  }
}

describe("legacy keys", () => {
  const cases: [string, string][] = [
    ["qhub_version: 0.4.3", "nebari upgrade"],
    ["digital_ocean: {region: nyc3}", "DigitalOcean support was removed"],
    ["cdsdashboards: {enabled: true}", "jhub-apps"],
    ["kbatch: {enabled: true}", "kbatch was removed"],
    ["prefect: {enabled: true}", "nebari-prefect plugin"],
    ["clearml: {enabled: true}", "nebari-clearml plugin"],
  ];
  for (const [line, says] of cases) {
    test(`${line.split(":")[0]}: a specific hint, an error under --strict`, () => {
      const yaml = `project_name: demo\n${line}\n`;
      expect(check(yaml).warnings[0]!.text).toContain(says);
      expect(check(yaml, { strict: true }).errors[0]!.text).toContain(says);
    });
  }

  test("provider: do", () => {
    expect(check("project_name: demo\nprovider: do\n").errors[0]!.text).toContain("DigitalOcean support was removed from Nebari in 2024.x");
  });
});

test("the Go nebari-infrastructure-core format is recognised and explained", () => {
  const { errors, warnings } = check("project_name: demo\ncluster:\n  aws:\n    region: us-east-1\n    kubernetes_version: '1.33'\n");
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ path: "cluster", line: 2 });
  expect(errors[0]!.text).toContain("Go nebari-infrastructure-core format");
  expect(warnings).toEqual([]);
});

describe("YAML accidents", () => {
  test("non-breaking-space indentation: one error listing every line", () => {
    const { errors } = check("project_name: demo\nlocal:\n\u00a0\u00a0kube_context: x\n\u00a0\u00a0node_selectors: {}\nnamespace: dev\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text).toContain("on lines 3, 4");
  });

  test("a duplicate key names the first occurrence's line", () => {
    expect(check("project_name: demo\nnamespace: dev\nprovider: local\nnamespace: prod\n").errors[0]).toMatchObject({ line: 4, message: expect.stringContaining("first on line 2") });
  });

  test("a missing required key points at its parent's line", () => {
    const { errors } = check("project_name: demo\nprovider: aws\namazon_web_services:\n  kubernetes_version: '1.33'\n  node_groups:\n    general:\n      min_nodes: 1\n");
    expect(errors.map((e) => [e.path, e.line])).toEqual([["amazon_web_services.region", 3]]);
    const group = check("project_name: demo\nprovider: aws\namazon_web_services:\n  region: us-east-1\n  kubernetes_version: '1.33'\n  node_groups:\n    general:\n      min_nodes: 1\n").errors;
    expect(group.map((e) => [e.path, e.line])).toEqual([["amazon_web_services.node_groups.general.instance", 7]]);
  });

  test("an alias bomb: one wording, with the line of the first alias", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? "*a" : `*l${i - 1}`).join(", ")}]`);
    const { errors, error } = check(`project_name: demo\n${levels.join("\n")}\n`);
    expect(errors).toMatchObject([{ line: 3, message: "YAML aliases expand to more than 100 copies (an alias bomb?)" }]);
    expect(error!.message).not.toContain("alias");
  });

  test("binary content says binary data", () => {
    expect(check(new Uint8Array([0x70, 0x3a, 0x00, 0x01, 0x0a])).error!.message).toContain("binary data");
  });
});

test("echoed values are cut to a readable length", () => {
  const huge = "x".repeat(900_000);
  const { error } = check(`project_name: ${huge}\n`);
  const json = JSON.stringify(error!.details);
  expect(json.length).toBeLessThan(4000);
  expect(json).toContain("(900000 characters)");
});
