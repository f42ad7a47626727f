// A state file on the local disk. Writes are crash-safe: temp file in the same folder, fsync, rename, fsync the folder;
// the state as it was before the run is kept as <state>.backup. The lock is <state>.lock, created atomically with link(2).
import { link, readdir, readFile, unlink } from "node:fs/promises";
import { makeFolder } from "../../fs/folder.ts";
import { basename, dirname, join } from "node:path";
import { NicError } from "../../cli/errors.ts";
import { replaceFile as replaceAtomically, tempName, writeSynced } from "../../fs/atomic.ts";
import { checkRegularFile } from "../../fs/regular-file.ts";
import type { StateBackend } from "../backend.ts";
import { lockedError, lockStolen, requireLockId, unlabelledLock, type LockHandle, type LockInfo } from "../lock.ts";

export class LocalBackend implements StateBackend {
  readonly location: string;
  private readonly lockPath: string;
  /** The locks under which the backup was already written. */
  private readonly backedUp = new Set<string>();

  constructor(readonly path: string) {
    this.location = path;
    this.lockPath = `${path}.lock`;
  }

  async readText(): Promise<string | undefined> {
    return readIfExists(this.path, this.location);
  }

  async writeText(text: string, lock: LockHandle): Promise<void> {
    await this.ensureFolder();
    // The backup is the state as it was before this run (Terraform's rule): written once per lock, not on every save.
    if (!this.backedUp.has(lock.id)) {
      const previous = await readIfExists(this.path, this.location);
      if (previous !== undefined) await replaceFile(`${this.path}.backup`, previous);
      this.backedUp.add(lock.id);
    }
    await replaceFile(this.path, text);
  }

  async lock(info: LockInfo): Promise<LockHandle> {
    await this.ensureFolder();
    const temp = tempName(this.lockPath);
    try {
      await writeSynced(temp, `${JSON.stringify(info, null, 2)}\n`);
    } catch (err) {
      await unlink(temp).catch(() => {}); // a disk-full write leaves a 0-byte file
      throw backendError(`Cannot write the lock file ${this.lockPath}`, err);
    }
    try {
      // link() fails if the lock exists, and the lock file appears complete or not at all.
      for (let attempt = 0; ; attempt++) {
        try {
          await link(temp, this.lockPath);
          await this.removeLeftovers();
          return { id: info.id, info };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw backendError(`Cannot create the lock file ${this.lockPath}`, err);
        }
        const holder = await this.describeLock();
        if (holder) throw lockedError(holder, this.location);
        if (attempt >= 3) throw backendError(`The lock file ${this.lockPath} keeps appearing and vanishing`, undefined);
      }
    } finally {
      await unlink(temp).catch(() => {});
    }
  }

  async unlock(handle: LockHandle): Promise<void> {
    const current = await this.describeLock();
    if (!current) return;
    if (current.id !== handle.id) throw lockStolen(this.location, current);
    await unlink(this.lockPath).catch(ignoreMissing);
  }

  async forceUnlock(id: string): Promise<LockInfo> {
    const current = requireLockId(await this.describeLock(), id, this.location);
    await unlink(this.lockPath).catch(ignoreMissing);
    return current;
  }

  async describeLock(): Promise<LockInfo | undefined> {
    const text = await readIfExists(this.lockPath, this.lockPath);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as LockInfo;
    } catch {
      return unlabelledLock(this.location);
    }
  }

  /**
   * Temp files of writes cut off by a crash. Only the lock holder writes, so once locked they are all garbage; a lock
   * attempt's temp file is garbage once its process is gone (another run may be between writing its own and linking it).
   */
  private async removeLeftovers(): Promise<void> {
    const name = basename(this.path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const leftover = new RegExp(`^\\.${name}(\\.backup|\\.lock)?\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
    const folder = dirname(this.path);
    for (const entry of await readdir(folder).catch(() => [])) {
      const match = leftover.exec(entry);
      if (!match || (match[1] === ".lock" && isRunning(Number(match[2])))) continue;
      await unlink(join(folder, entry)).catch(() => {});
    }
  }

  private async ensureFolder(): Promise<void> {
    await makeFolder(dirname(this.path)).catch((err) => {
      throw backendError(`Cannot create the folder ${dirname(this.path)}`, err);
    });
  }
}

/** A NIC state is a few hundred kilobytes; anything this large is not one (and would keep the parser busy). */
export const MAX_STATE_BYTES = 64 * 1024 * 1024;

async function readIfExists(path: string, location: string): Promise<string | undefined> {
  const check = await checkRegularFile(path, MAX_STATE_BYTES);
  if (!check.ok) {
    if (check.missing) return undefined;
    throw new NicError("STATE_INVALID", `The state at ${location} ${check.reason}`, {
      details: { location },
      recovery: ["Pass the path of a NIC state file with --state."],
    });
  }
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw backendError(`Cannot read ${location}`, err);
  }
}

/** Replaces `target` so that a crash at any point leaves either the old or the new content. */
async function replaceFile(target: string, text: string): Promise<void> {
  try {
    await replaceAtomically(target, text);
  } catch (err) {
    throw backendError(`Cannot write ${target}`, err);
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw backendError("Cannot remove the lock file", err);
}

export function backendError(message: string, cause: unknown): NicError {
  const reason = cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);
  return new NicError("STATE_BACKEND_ERROR", reason ? `${message}: ${reason}` : message, { details: { reason }, cause });
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
