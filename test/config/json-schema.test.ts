// `nic schema` checked by a real JSON Schema validator (ajv, draft 2020-12) against every config fixture.
import { describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { configJsonSchema } from "../../src/config/json-schema.ts";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(configJsonSchema());
const CONFORMANCE = join(import.meta.dir, "../../fixtures/conformance/nebari-configs");
const DESIGN_DOC = join(import.meta.dir, "../../fixtures/configs/design-doc");
const load = (dir: string, file: string) => parse(readFileSync(join(dir, file), "utf8"));

describe("nic schema", () => {
  test("is a valid 2020-12 schema", () => {
    expect(ajv.validateSchema(configJsonSchema())).toBe(true);
  });

  for (const file of readdirSync(CONFORMANCE).filter((f) => /\.happy/.test(f))) {
    test(`accepts ${file}`, () => {
      expect(validate(load(CONFORMANCE, file)), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  for (const file of readdirSync(CONFORMANCE).filter((f) => /\.error\.project_name/.test(f))) {
    test(`rejects ${file} on project_name`, () => {
      expect(validate(load(CONFORMANCE, file))).toBe(false);
      expect(validate.errors!.map((e) => e.instancePath)).toContain("/project_name");
    });
  }

  for (const file of readdirSync(DESIGN_DOC).filter((f) => f !== "s14.3-full.yaml")) {
    test(`accepts the design document's ${file}, aliases included`, () => {
      expect(validate(load(DESIGN_DOC, file)), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  test("ci_cd follows Nebari's model; the QHub bare string is rejected", () => {
    expect(validate({ project_name: "demo", ci_cd: { type: "gitlab-ci", branch: "main", before_script: ["echo", { a: 1 }] } })).toBe(true);
    expect(validate({ project_name: "demo", ci_cd: "github-actions" })).toBe(false);
    expect(validate({ project_name: "demo", ci_cd: { type: "jenkins" } })).toBe(false);
  });

  test("rejects unknown keys inside interpreted sections, and wrong types", () => {
    expect(validate({ project_name: "demo", amazon_web_services: { region: "r", kubernetes_version: "1.33", regoin: "x" } })).toBe(false);
    expect(validate({ project_name: "demo", amazon_web_services: { region: "r", kubernetes_version: "1.33", node_groups: { g: { instance: "m5", min_nodes: -1 } } } })).toBe(false);
    expect(validate({ project_name: "demo", google_cloud_platform: { region: "r", project: "p", kubernetes_version: "1.33", node_pools: { g: { machine_type: "e2" } } } })).toBe(true);
  });
});
