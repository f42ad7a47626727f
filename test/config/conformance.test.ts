// Every upstream Nebari validation fixture must classify as upstream labels it (nebari-stages.md §6),
// with two documented exceptions where NIC differs from Nebari by design.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig } from "../../src/config/load.ts";

const DIR = join(import.meta.dir, "../../fixtures/conformance/nebari-configs");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml"));
const HAPPY = /^\w*\.happy.*\.yaml$/;
const ERROR = /^\w*\.error\.([\w-]*)(\.[\w-]*)?\.yaml$/;

/** Upstream's rule: the expected text appears in the lower-cased output, literally or with - and _ read as spaces. */
function mentions(output: string, expected: string): boolean {
  const text = output.toLowerCase().replaceAll(/[-_]/g, " ");
  return text.includes(expected.toLowerCase().replaceAll(/[-_]/g, " "));
}

function errorOutput(file: string, strict = false): string {
  try {
    loadConfig(join(DIR, file), { strict, env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(NicError);
    const e = err as NicError;
    expect(e.code).toBe("CONFIG_INVALID");
    return [e.message, ...(e.details.errors as { text: string }[]).map((p) => p.text)].join("\n");
  }
  throw new Error(`${file} validated, but it should not`);
}

describe("upstream Nebari conformance fixtures", () => {
  test("the corpus is complete: 12 happy and 6 error files", () => {
    expect(files.filter((f) => HAPPY.test(f))).toHaveLength(12);
    expect(files.filter((f) => ERROR.test(f))).toHaveLength(6);
  });

  for (const file of files.filter((f) => HAPPY.test(f))) {
    test(`${file} is valid`, () => {
      const loaded = loadConfig(join(DIR, file), { env: {} });
      expect(loaded.config.project_name.length).toBeGreaterThan(2);
    });
  }

  const byDesign: Record<string, string> = {
    // `security` belongs to a later Nebari stage; NIC passes it through without interpreting it.
    "local.error.authentication-type-custom.yaml": "application-stage section",
    // An unknown top-level key is a warning (plugins add sections NIC cannot know); --strict restores Nebari's error.
    "local.error.extra-inputs.yaml": "unknown top-level key",
  };

  for (const file of files.filter((f) => ERROR.test(f) && !(f in byDesign))) {
    const expected = ERROR.exec(file)![1]!;
    test(`${file} is invalid and names ${expected}`, () => {
      expect(mentions(errorOutput(file), expected)).toBe(true);
    });
  }

  test("authentication-type-custom validates: security is an application-stage section", () => {
    const loaded = loadConfig(join(DIR, "local.error.authentication-type-custom.yaml"), { env: {} });
    expect(loaded.warnings).toHaveLength(0);
  });

  test("extra-inputs validates with a warning naming the key, and fails under --strict", () => {
    const loaded = loadConfig(join(DIR, "local.error.extra-inputs.yaml"), { env: {} });
    expect(loaded.warnings.map((w) => w.path)).toEqual(["this_is_an_error"]);
    expect(mentions(errorOutput("local.error.extra-inputs.yaml", true), "this_is_an_error")).toBe(true);
  });
});
