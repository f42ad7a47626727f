// 8 processes contend for one state on each backend. The counter race runs the test driver (the library code the CLI uses),
// because no CLI command yet does a read-modify-write under the lock. The push race runs the real CLI (NIC_BIN=dist/nic for
// the compiled binary): 8 pushes of the same copy, of which exactly one may land; the others must be refused, not lost.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newState } from "../../src/state/format.ts";
import { startEmulators, type Emulators } from "./emulators.ts";
import { nic } from "./helpers.ts";
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

for (const name of ["local", "s3+dynamodb", "s3-lockfile", "gcs", "azblob"]) {
  test(`${name}: 8 CLI pushes of one copy race; exactly one lands, 7 are refused as stale`, async () => {
    const c = emulators.cases.find((x) => x.name === name)!;
    const location = await c.newLocation();
    const file = join(scratch, `${name}-copy.json`);
    await Bun.write(file, JSON.stringify(newState({ provider: "aws", projectName: "race", region: "r" })));
    const runs = await Promise.all(Array.from({ length: 8 }, () => nic(["state", "push", file, "--state", location, "--lock-timeout", "2m", "--format", "json"], c.env)));
    const codes = runs.map((r) => (r.code === 0 ? "ok" : JSON.parse(r.stdout).error.code)).sort();
    expect(codes).toEqual(["STATE_CONFLICT", "STATE_CONFLICT", "STATE_CONFLICT", "STATE_CONFLICT", "STATE_CONFLICT", "STATE_CONFLICT", "STATE_CONFLICT", "ok"]);
    const stored = JSON.parse((await nic(["state", "pull", "--state", location], c.env)).stdout);
    expect(stored.serial).toBe(1);
  }, 180_000);
}
