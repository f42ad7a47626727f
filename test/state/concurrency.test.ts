// 8 processes contend for one state on each backend. They run the test driver (the library code the CLI uses), because no
// CLI command yet does a read-modify-write under the lock; the CLI's own locking path is covered in cli.test.ts.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulators, type Emulators } from "./emulators.ts";
import { race } from "./race.ts";

let emulators: Emulators;
const scratch = mkdtempSync(join(tmpdir(), "nic-race-"));
beforeAll(async () => {
  emulators = await startEmulators();
}, 60_000);
afterAll(async () => {
  await emulators?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

for (const name of ["local", "s3+dynamodb", "s3-lockfile", "gcs", "azblob"]) {
  test(`${name}: 8 processes, one holder at a time, no lost update, every state valid`, async () => {
    const result = await race(emulators.cases.find((c) => c.name === name)!, { processes: 8, times: 2, scratch });
    expect(result.violations).toEqual([]);
    expect(result.maxHolders).toBe(1);
    expect(result.counter).toBe(16);
  }, 180_000);
}
