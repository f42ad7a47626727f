// Working under the lock (local backend): release on success, error and signals; waiting with --lock-timeout;
// stale locks reported, never broken; migration written back under the lock; the intent journal.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import type { Logger } from "../../src/cli/log.ts";
import type { Journal as EngineJournal } from "../../src/engine/apply.ts";
import { newState } from "../../src/state/format.ts";
import { newLockInfo } from "../../src/state/lock.ts";
import { openBackend } from "../../src/state/open.ts";
import { acquireLock, parseDuration, withStateLock } from "../../src/state/session.ts";
import { readState } from "../../src/state/store.ts";

const scratch = mkdtempSync(join(tmpdir(), "nic-session-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(scratch, `s${++n}`, "nic-state.json");
const DRIVER = join(import.meta.dir, "driver.ts");
const BUN = process.execPath;

function recordingLogger(lines: string[]): Logger {
  const add = (m: string) => void lines.push(m);
  return { debug: add, info: add, warn: add, error: add, progress: () => {}, endProgress: () => {} };
}

test("the lock is released after success and after an error", async () => {
  const backend = await openBackend(freshPath());
  await withStateLock(backend, "deploy", async (session) => {
    expect((await backend.describeLock())?.operation).toBe("deploy");
    await session.save(newState({ provider: "aws", projectName: "p", region: "r" }));
  });
  expect(await backend.describeLock()).toBeUndefined();
  const failure = withStateLock(backend, "deploy", async () => {
    throw new Error("boom");
  });
  await expect(failure).rejects.toThrow("boom");
  expect(await backend.describeLock()).toBeUndefined();
  expect((await readState(backend))?.state.serial).toBe(1);
});

test("--lock-timeout waits for the holder, names it, and then takes the lock", async () => {
  const backend = await openBackend(freshPath());
  const holder = await backend.lock(newLockInfo("deploy", backend.location));
  setTimeout(() => void backend.unlock(holder), 300);
  const lines: string[] = [];
  const lock = await acquireLock(backend, "destroy", { timeoutMs: 60_000, log: recordingLogger(lines) });
  expect(lines[0]).toContain("deploy");
  expect(lines[0]).toContain(`pid ${process.pid}`);
  expect((await backend.describeLock())?.id).toBe(lock.id);
  await backend.unlock(lock);
});

test("a timeout that expires gives STATE_LOCKED naming the holder", async () => {
  const backend = await openBackend(freshPath());
  const holder = await backend.lock(newLockInfo("deploy", backend.location));
  const err = await acquireLock(backend, "destroy", { timeoutMs: 300 }).catch((e) => e);
  expect(err).toBeInstanceOf(NicError);
  expect(err.code).toBe("STATE_LOCKED");
  expect(err.message).toContain("gave up after waiting");
  expect(err.details.lock.id).toBe(holder.id);
  await backend.unlock(holder);
});

test("a lock whose process is dead is reported stale with the unlock command, and is not broken", async () => {
  const path = freshPath();
  const backend = await openBackend(path);
  const dead = Bun.spawnSync(["true"]).pid;
  const info = { ...newLockInfo("deploy", path), pid: dead, who: `someone@${hostname()}` };
  await backend.lock(info);
  const err = await acquireLock(backend, "deploy", { timeoutMs: 60_000 }).catch((e) => e);
  expect(err.code).toBe("STATE_LOCKED");
  expect(err.details.stale).toBe(true);
  expect(err.recovery.join(" ")).toContain(`nic state unlock ${info.id} --state '${path}'`);
  expect((await backend.describeLock())?.id).toBe(info.id);
});

test("an older format is migrated in memory on read and written back only under the lock", async () => {
  const path = freshPath();
  const backend = await openBackend(path);
  const v0 = JSON.stringify({ version: "0.9.0", provider: "gcp", project_name: "p", region: "us-central1", cloud: { cluster: { id: "p-dev", name: "p-dev" } }, metadata: { created_at: "2025-01-01T00:00:00Z" } });
  await Bun.write(path, v0);
  expect((await readState(backend))?.migratedFrom).toBe("0");
  expect(readFileSync(path, "utf8")).toBe(v0);
  await withStateLock(backend, "deploy", async (session) => {
    expect(session.state?.resources["gcp/gke_cluster/main"]?.provider_id).toBe("p-dev");
  });
  const stored = JSON.parse(readFileSync(path, "utf8"));
  expect(stored.format_version).toBe("1");
  expect(stored.serial).toBe(1);
  expect(readFileSync(`${path}.backup`, "utf8")).toBe(v0);
});

test("the intent journal persists each intent; done clears it, unknown keeps it marked", async () => {
  const backend = await openBackend(freshPath());
  await withStateLock(backend, "deploy", async (session) => {
    await session.save(newState({ provider: "aws", projectName: "p", region: "r" }));
    const forEngine: EngineJournal = session.journal; // apply() takes the session's journal as it is
    expect(forEngine).toBe(session.journal);
    const id = await session.journal.begin({ address: "aws/eks_cluster/main", kind: "eks_cluster", operation: "create", requestToken: "token-1" });
    const cut = await session.journal.begin({ address: "aws/eks_node_group/general", operation: "update", requestToken: "token-2", id: "general" });
    const stored = (await readState(backend))!.state;
    expect(stored.pending_operations).toMatchObject([
      { id, address: "aws/eks_cluster/main", kind: "eks_cluster", operation: "create", idempotency_token: "token-1" },
      { id: cut, address: "aws/eks_node_group/general", operation: "update", idempotency_token: "token-2", resource_id: "general" },
    ]);
    await session.journal.end(cut, { status: "unknown", reason: "timed out" });
    await session.journal.end(id, { status: "done" }, (s) => {
      s.resources["aws/eks_cluster/main"] = { kind: "eks_cluster", provider_id: "p-dev", attributes: {}, imported_from_terraform: false, created_at: s.metadata.created, updated_at: s.metadata.created };
    });
  });
  const after = (await readState(backend))!.state;
  expect(after.pending_operations).toMatchObject([{ id: expect.any(String), address: "aws/eks_node_group/general", unknown_reason: "timed out" }]);
  expect(after.resources["aws/eks_cluster/main"]?.provider_id).toBe("p-dev");
  expect(after.serial).toBe(5);
});

async function startDriver(mode: string, path: string) {
  const child = Bun.spawn([BUN, DRIVER, mode, path], { stdout: "pipe", stderr: "pipe" });
  const reader = child.stdout.getReader();
  let out = "";
  /** Reads the driver's stdout until it has printed `line`. */
  const printed = async (line: string) => {
    while (!out.includes(`${line}\n`)) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    expect(out).toContain(`${line}\n`);
  };
  await printed("locked");
  return Object.assign(child, { printed });
}

test.each(["SIGINT", "SIGTERM"] as const)("%s ends the work at a safe point and releases the lock", async (signal) => {
  const path = freshPath();
  const child = await startDriver("hold", path);
  expect(existsSync(`${path}.lock`)).toBe(true);
  child.kill(signal);
  expect(await child.exited).toBe(0);
  expect(existsSync(`${path}.lock`)).toBe(false);
});

test("a second SIGINT stops at once, still releases the lock and leaves a valid state", async () => {
  const path = freshPath();
  const child = await startDriver("stubborn", path);
  child.kill("SIGINT");
  // Two SIGINTs the driver has not yet handled merge into one (signals are not queued), so the second goes only once the
  // first was seen; a fixed sleep was not enough on a loaded machine.
  await child.printed("interrupted");
  child.kill("SIGINT");
  expect(await child.exited).toBe(130);
  expect(existsSync(`${path}.lock`)).toBe(false);
  expect((await readState(await openBackend(path)))?.state.serial).toBe(1);
});

test("durations for --lock-timeout", () => {
  expect(parseDuration("5m")).toBe(300_000);
  expect(parseDuration("30s")).toBe(30_000);
  expect(parseDuration("250ms")).toBe(250);
  expect(parseDuration("10")).toBe(10_000);
  expect(() => parseDuration("soon")).toThrow(NicError);
});

test("a lock file is written whole and readable by other tools", async () => {
  const path = freshPath();
  const backend = await openBackend(path);
  const lock = await backend.lock(newLockInfo("deploy", path));
  expect(JSON.parse(readFileSync(`${path}.lock`, "utf8"))).toEqual(lock.info);
  writeFileSync(`${path}.lock`, "");
  expect((await backend.describeLock())?.id).toBe("unlabelled");
});

test("group commit: changes made while a write is in flight share the next write; each caller resolves once its change is stored", async () => {
  const path = freshPath();
  const backend = await openBackend(path);
  let writes = 0;
  const writeText = backend.writeText.bind(backend);
  backend.writeText = async (text, lock) => {
    writes++;
    await writeText(text, lock);
  };
  await withStateLock(backend, "deploy", async (session) => {
    await session.save(newState({ provider: "aws", projectName: "p", region: "r" }));
    const before = writes;
    const first = session.update((s) => void (s.metadata.deploy_count = 1));
    await Bun.sleep(0); // the first write is now in flight
    // These arrive while it is: one more write takes them all.
    const rest = Array.from({ length: 10 }, () => session.update((s) => void (s.metadata.deploy_count = (s.metadata.deploy_count ?? 0) + 1)));
    const refused = session.update(() => {
      throw new Error("this change is refused");
    }).then(() => "written", (err: Error) => err.message);
    await first;
    const written = await Promise.all(rest);
    expect(await refused).toBe("this change is refused");
    expect(writes - before).toBe(2);
    const stored = (await readState(backend))!.state;
    expect(stored.metadata.deploy_count).toBe(11); // every change applied, in order, none lost
    expect(written.every((s) => s.serial === stored.serial)).toBe(true);
  });
});
