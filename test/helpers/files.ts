import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary folder for one test file. */
export function tempDir(prefix = "nic-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `text` to a new file in a fresh temporary folder and returns its path. */
export function writeTemp(name: string, text: string | Uint8Array, dir = tempDir()): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
