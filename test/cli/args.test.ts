import { describe, expect, test } from "bun:test";
import { parseArgs, type FlagSpecs } from "../../src/cli/args.ts";
import { ERROR_CODES, ExitCode, NicError } from "../../src/cli/errors.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const SPECS: FlagSpecs = { config: { type: "string", short: "f", aliases: ["file"], description: "" }, yes: { type: "boolean", description: "" } };

function thrown(fn: () => unknown): NicError {
  try {
    fn();
  } catch (err) {
    return err as NicError;
  }
  throw new Error("did not throw");
}

describe("flag parsing", () => {
  test("long, short, alias and = forms", () => {
    expect(parseArgs(["-f", "a.yaml", "--yes"], SPECS).flags).toMatchObject({ config: "a.yaml", yes: true, format: "text" });
    expect(parseArgs(["--file=b.yaml"], SPECS).flags.config).toBe("b.yaml");
    expect(parseArgs(["pos", "--", "--not-a-flag"], SPECS).positionals).toEqual(["pos", "--not-a-flag"]);
  });

  test("bad input is INPUT_INVALID with exit code 3", () => {
    for (const argv of [["--nope"], ["-f"], ["--format", "xml"], ["--yes=maybe"], ["-f", "a", "-f", "b"]]) {
      const err = thrown(() => parseArgs(argv, SPECS));
      expect(err.code).toBe("INPUT_INVALID");
      expect(err.exitCode).toBe(ExitCode.InvalidInput);
    }
  });
});

test("every error code and exit code is documented in the README", () => {
  const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
  const undocumented = Object.keys(ERROR_CODES).filter((code) => !readme.includes(`| \`${code}\` | ${ERROR_CODES[code as keyof typeof ERROR_CODES].exit} |`));
  expect(undocumented).toEqual([]);
  const exitCodes = Object.values(ExitCode).filter((value) => !readme.includes(`| ${value} |`));
  expect(exitCodes).toEqual([]);
});
