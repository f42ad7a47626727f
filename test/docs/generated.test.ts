// The reference pages are generated from the code (make docs); these fail when the code changed and the pages did not,
// and when an error code has no troubleshooting section.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ERROR_CODES } from "../../src/cli/errors.ts";
import { configurationPage, errorsPage } from "../../scripts/docs.ts";

const stale = "is stale: run `make docs` and commit it";

test("docs/configuration.md is what make docs writes from nic's JSON Schema", () => {
  expect(readFileSync("docs/configuration.md", "utf8"), `docs/configuration.md ${stale}`).toBe(configurationPage());
});

test("docs/errors.md is what make docs writes from the error-code table", () => {
  expect(readFileSync("docs/errors.md", "utf8"), `docs/errors.md ${stale}`).toBe(errorsPage());
});

test("docs/troubleshooting.md has a section for every error code, and none for codes that do not exist", () => {
  const sections = [...readFileSync("docs/troubleshooting.md", "utf8").matchAll(/^## `([A-Z_]+)`/gm)].map((m) => m[1]);
  expect(sections.sort()).toEqual(Object.keys(ERROR_CODES).sort());
});
