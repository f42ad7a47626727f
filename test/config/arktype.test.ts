// The shapes are arktype definitions: every error keeps its dotted path, line:column, what was expected and what was found.
import { expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { shapeErrors, shapeJsonSchema } from "../../src/config/schema.ts";
import { writeTemp } from "../helpers/files.ts";

function errors(yaml: string) {
  try {
    loadConfig(writeTemp("nebari-config.yaml", yaml), { env: {} });
  } catch (err) {
    if (err instanceof NicError) return err.details.errors as { path: string; line?: number; column?: number; message: string; found?: string; text: string }[];
    throw err;
  }
  return [];
}

test("arktype errors arrive with their paths; failed unions speak through the branch that took the value", () => {
  const got = shapeErrors("aws_node_group", { min_nodes: 1.5, taints: [7] });
  expect(got.map((e) => [e.path.join("."), e.code, e.expected])).toEqual([
    ["instance", "required", "a string"],
    ["min_nodes", "type", "an integer"],
    ["taints.0", "type", "a string or an object"],
  ]);
  expect(shapeErrors("amazon_web_services", { region: "r", kubernetes_version: 1.2, eks_endpoint_access: "open" }).map((e) => e.expected)).toEqual([
    "a string or null",
    '"private", "public" or "public_and_private"',
  ]);
  const [extra, ...rest] = shapeErrors("gcp_node_group", { instance: "e2", guest_accelerators: [{ name: "t4", colour: 1 }] });
  expect(rest).toEqual([]);
  expect([extra!.path, extra!.code, extra!.expected]).toEqual([["guest_accelerators", 0, "colour"], "unexpected", "removed"]);
});

test("messages through nic validate: dotted path, line:column, expected, found", () => {
  const yaml = "project_name: demo\nprovider: aws\namazon_web_services:\n  region: us-east-1\n  kubernetes_version: '1.33'\n  eks_endpoint_access: open\n  node_groups:\n    general:\n      instance: m5.xlarge\n      taints: [7]\n";
  const [access] = errors(yaml);
  const [taint] = errors(yaml.replace("  eks_endpoint_access: open\n", ""));
  expect(access).toMatchObject({ path: "amazon_web_services.eks_endpoint_access", line: 6, column: 3, message: 'must be "private", "public" or "public_and_private"', found: '"open"' });
  expect(taint).toMatchObject({ path: "amazon_web_services.node_groups.general.taints[0]", line: 9, column: 16, message: "must be a string or a mapping", found: "7" });
});

test("the JSON Schema is arktype's own export", () => {
  const schema = shapeJsonSchema("aws_node_group") as { properties: Record<string, unknown>; required: string[] };
  expect(schema.required).toEqual(["instance"]);
  expect(schema.properties.min_nodes).toEqual({ type: "integer", minimum: 0 });
  expect(schema).not.toHaveProperty("$schema");
});
