// The contract every state backend (local file, S3, GCS, Azure Blob) fulfils. Backends move bytes and locks;
// parsing, validation, the secrets guard and the serial/lineage checks live in store.ts, once for all of them.
import type { LockHandle, LockInfo } from "./lock.ts";

export interface StateBackend {
  /** Where the state lives, as the user writes it in --state (a path, s3://…, gs://…, azblob://…). */
  readonly location: string;
  /** The stored bytes, or undefined when no state exists yet. */
  readText(): Promise<string | undefined>;
  /** Replaces the stored bytes atomically (readers see the old or the new text, never a mix). Called only while `lock` is held. */
  writeText(text: string, lock: LockHandle): Promise<void>;
  /** Takes the lock, or throws STATE_LOCKED whose details.lock names the holder. Never waits. */
  lock(info: LockInfo): Promise<LockHandle>;
  /** Releases a lock this process took. Releasing a lock that is already gone is not an error. */
  unlock(handle: LockHandle): Promise<void>;
  /** Breaks the current lock whatever process holds it, if its id is `id`; returns what was broken. */
  forceUnlock(id: string): Promise<LockInfo>;
  /** The current holder, or undefined when the state is not locked. */
  describeLock(): Promise<LockInfo | undefined>;
}
