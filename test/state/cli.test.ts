// The state commands as a user meets them, on every backend: a second run names the holder (exit 4), `nic status`
// reports the lock, `nic state unlock` refuses without a terminal and breaks the lock with --force; pull/push round-trip.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulators, type Emulators } from "./emulators.ts";
import { holdLock, nic, nicOnTerminal } from "./helpers.ts";

let emulators: Emulators;
const scratch = mkdtempSync(join(tmpdir(), "nic-cli-"));
beforeAll(async () => {
  emulators = await startEmulators();
}, 60_000);
afterAll(async () => {
  await emulators?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

for (const name of ["local", "s3+dynamodb", "s3-lockfile", "gcs", "azblob"]) {
  describe(`${name}: racing and unlocking through the CLI`, () => {
    test("the second run names the first; unlock shows the holder and breaks the lock", async () => {
      const c = emulators.cases.find((x) => x.name === name)!;
      const location = await c.newLocation();
      const holder = await holdLock(location, c.env);
      try {
        const pulled = await nic(["state", "pull", "--state", location], c.env);
        expect(pulled.code).toBe(0);
        const file = join(scratch, `${name}.json`);
        await Bun.write(file, pulled.stdout);

        const raced = await nic(["state", "push", file, "--state", location, "--format", "json"], c.env);
        expect(raced.code).toBe(4);
        const error = JSON.parse(raced.stdout).error;
        expect(error.code).toBe("STATE_LOCKED");
        expect(error.details.lock.pid).toBe(holder.pid);
        expect(error.details.lock.operation).toBe("hold");
        expect(error.message).toContain(`pid ${holder.pid}`);

        const status = JSON.parse((await nic(["status", "--offline", "--state", location, "--format", "json"], c.env)).stdout);
        expect(status.healthy).toBe(false);
        expect(status.issues.map((i: { code: string }) => i.code)).toEqual(["state_locked"]);
        expect(status.lock.pid).toBe(holder.pid);

        const refused = await nic(["state", "unlock", "--state", location], c.env);
        expect(refused.code).toBe(3);
        expect(refused.stderr).toContain("error[CONFIRMATION_REQUIRED]: Breaking a lock needs --force");

        const unlocked = await nic(["state", "unlock", "--force", "--state", location], c.env);
        expect(unlocked.code).toBe(0);
        expect(unlocked.stdout).toContain(`pid ${holder.pid}`);
        expect(unlocked.stdout).toContain("operation hold");
        expect(unlocked.stdout).toMatch(/age\s+\d+s/);

        const pushed = await nic(["state", "push", file, "--state", location, "--format", "json"], c.env);
        expect(pushed.code).toBe(0);
        expect(JSON.parse(pushed.stdout).serial).toBe(2);
        const stale = await nic(["state", "push", file, "--state", location, "--format", "json"], c.env);
        expect(stale.code).toBe(1);
        expect(JSON.parse(stale.stdout).error.code).toBe("STATE_CONFLICT");
      } finally {
        holder.kill("SIGINT");
        await holder.exited;
      }
    }, 120_000);
  });
}

test("state show and status describe a healthy state", async () => {
  const c = emulators.cases.find((x) => x.name === "local")!;
  const location = await c.newLocation();
  const holder = await holdLock(location, c.env);
  holder.kill("SIGINT");
  await holder.exited;
  const shown = await nic(["state", "show", "--state", location], c.env);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain("project  race (aws, us-west-2)");
  expect(shown.stdout).toContain("lock     not locked");
  const status = JSON.parse((await nic(["status", "--state", location, "--format", "json"], c.env)).stdout);
  expect(status).toMatchObject({ success: true, healthy: true, issues: [], provider: "aws", lock: null, serial: 1, pending_operations: [] });
});

test("on a terminal, unlock asks first: n keeps the lock, y breaks it", async () => {
  const c = emulators.cases.find((x) => x.name === "local")!;
  const location = await c.newLocation();
  const holder = await holdLock(location, c.env);
  try {
    const kept = await nicOnTerminal(["state", "unlock", "--state", location], c.env, "n");
    expect(kept.asked).toBe(true);
    expect(kept.output).toContain(`pid ${holder.pid}, hold`);
    expect(kept.code).toBe(3);
    expect(kept.output).toContain("CONFIRMATION_REQUIRED");
    expect(await Bun.file(`${location}.lock`).exists()).toBe(true);
    const broken = await nicOnTerminal(["state", "unlock", "--state", location], c.env, "y");
    expect(broken.code).toBe(0);
    expect(broken.output).toContain("Broke the lock");
    expect(await Bun.file(`${location}.lock`).exists()).toBe(false);
  } finally {
    holder.kill("SIGINT");
    await holder.exited;
  }
}, 60_000);
