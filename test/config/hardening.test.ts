// Hostile and accidental input: every case gives a structured error that names the cause, never a crash or a hang.
import { describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { MAX_CONFIG_BYTES } from "../../src/config/read.ts";
import { tempDir, writeTemp } from "../helpers/files.ts";

function failure(path: string): NicError {
  try {
    loadConfig(path, { env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(NicError);
    return err as NicError;
  }
  throw new Error(`${path} loaded, but it should have failed`);
}

const texts = (err: NicError) => ((err.details.errors as { text: string }[]) ?? []).map((e) => e.text).join("\n");

describe("YAML hardening", () => {
  test("an alias bomb is refused", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? "*a" : `*l${i - 1}`).join(", ")}]`);
    const err = failure(writeTemp("bomb.yaml", `project_name: demo\n${levels.join("\n")}\n`));
    expect(err.code).toBe("CONFIG_INVALID");
    expect(texts(err)).toContain("alias");
  });

  test("duplicate keys are refused with their line", () => {
    const err = failure(writeTemp("dup.yaml", "project_name: demo\nnamespace: dev\nnamespace: prod\n"));
    expect(err.details.errors).toMatchObject([{ line: 3 }]);
    expect(texts(err)).toContain("twice");
  });

  test("a root that is not a mapping is refused", () => {
    expect(texts(failure(writeTemp("list.yaml", "- project_name: demo\n")))).toContain("the root of the document is a list");
    expect(texts(failure(writeTemp("scalar.yaml", "just text\n")))).toContain("the root of the document is a single string value");
    expect(texts(failure(writeTemp("number.yaml", "42\n")))).toContain("a single number value");
  });

  test("a stray ... document marker names its line", () => {
    const err = failure(writeTemp("dots.yaml", "project_name: demo\n...\nnamespace: dev\n"));
    expect(err.details.errors).toMatchObject([{ line: 2 }]);
    expect(texts(err)).toContain("`...`");
  });

  test("a trailing ... at the end of the file is harmless", () => {
    expect(loadConfig(writeTemp("end.yaml", "project_name: demo\n...\n"), { env: {} }).config.project_name).toBe("demo");
  });

  test("non-breaking-space indentation names its line and the cause", () => {
    const err = failure(writeTemp("nbsp.yaml", "project_name: demo\nlocal:\n\u00a0\u00a0kube_context: x\n"));
    expect(err.details.errors).toMatchObject([{ line: 3 }]);
    expect(texts(err)).toContain("U+00A0");
  });

  test("a file over the size limit is refused before parsing", () => {
    const err = failure(writeTemp("big.yaml", `project_name: demo\n#${"x".repeat(MAX_CONFIG_BYTES)}\n`));
    expect(err.code).toBe("CONFIG_UNREADABLE");
    expect(err.message).toContain("limited to");
  });

  test("missing files, directories, FIFOs and invalid UTF-8 give structured errors", () => {
    const dir = tempDir();
    expect(failure(join(dir, "absent.yaml")).code).toBe("CONFIG_NOT_FOUND");
    expect(failure(join(writeTemp("file", "x"), "below-a-file.yaml")).code).toBe("CONFIG_NOT_FOUND");
    mkdirSync(join(dir, "adir"));
    expect(failure(join(dir, "adir")).message).toContain("is a directory");
    const fifo = join(dir, "fifo");
    expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
    expect(failure(fifo).message).toContain("FIFO");
    expect(failure(writeTemp("latin1.yaml", new Uint8Array([0x70, 0x3a, 0x20, 0xe9, 0x0a]))).message).toContain("UTF-8");
  });

  test("syntax errors carry a line and column", () => {
    const err = failure(writeTemp("syntax.yaml", "project_name: demo\nlocal: [unclosed\n"));
    expect(err.code).toBe("CONFIG_INVALID");
    expect((err.details.errors as { line?: number }[])[0]!.line).toBeGreaterThan(1);
  });
});
