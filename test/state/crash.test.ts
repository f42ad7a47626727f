// kill -9 during local writes, many times: the state is always the old or the new one, never a mix; the backup is a valid
// version from before the run; the dead writer's lock is reported stale (never broken silently) and its temp files are cleaned up.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { newLockInfo } from "../../src/state/lock.ts";
import { parseState } from "../../src/state/migrate.ts";
import { openBackend } from "../../src/state/open.ts";
import { DRIVER } from "./helpers.ts";

const scratch = mkdtempSync(join(tmpdir(), "nic-crash-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const TRIALS = 30;

test(`kill -9 mid-write ${TRIALS} times: old or new state, valid backup, stale lock reported`, async () => {
  const path = join(scratch, "nic-state.json");
  const backend = await openBackend(path);
  let lastSerial = 0;
  let firstSerial = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const writer = Bun.spawn([process.execPath, DRIVER, "write-loop", path], { stdout: "pipe", stderr: "pipe" });
    const reader = writer.stdout.getReader();
    await reader.read(); // "locked": from here on it rewrites the state as fast as it can
    await Bun.sleep(5 + Math.random() * 40);
    writer.kill("SIGKILL");
    await writer.exited;

    const state = parseState(readFileSync(path, "utf8"), path).state;
    expect(state.serial).toBeGreaterThanOrEqual(lastSerial);
    expect(state.metadata.deploy_count).toBe(state.serial - 1);
    // The backup is the state as it was before this writer's run. The first run started from nothing, so there is no
    // backup until a later run writes once; a writer killed before its first write leaves none behind.
    if (trial === 0) firstSerial = state.serial;
    else if (!existsSync(`${path}.backup`)) expect(state.serial).toBe(firstSerial);
    else {
      const backup = parseState(readFileSync(`${path}.backup`, "utf8"), `${path}.backup`).state;
      expect(backup.serial).toBeLessThanOrEqual(lastSerial);
      if (state.serial > lastSerial) expect(backup.serial).toBe(lastSerial);
      expect(backup.lineage).toBe(state.lineage);
    }
    lastSerial = state.serial;

    const stuck = await backend.lock(newLockInfo("check", path)).catch((err) => err);
    expect(stuck).toBeInstanceOf(NicError);
    expect((stuck as NicError).details.stale).toBe(true);
    await backend.forceUnlock(((stuck as NicError).details.lock as { id: string }).id);
  }
  expect(lastSerial).toBeGreaterThan(firstSerial); // the kills did land mid-write
  const lock = await backend.lock(newLockInfo("check", path));
  await backend.unlock(lock);
  expect(readdirSync(scratch).sort()).toEqual(["nic-state.json", "nic-state.json.backup"]);
}, 300_000);
