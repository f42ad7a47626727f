// Reading and writing state documents through any backend, with the checks that make state trustworthy:
// validation and migration on read; the secrets guard and serial/lineage succession on write.
import { NicError } from "../cli/errors.ts";
import { VERSION } from "../version.ts";
import type { StateBackend } from "./backend.ts";
import { serializeState, validateState, type State } from "./format.ts";
import type { LockHandle } from "./lock.ts";
import { parseState, type ParsedState } from "./migrate.ts";
import { assertNoSecrets } from "./secrets.ts";

/** The stored state, migrated in memory if it was written by an older format; undefined when none exists. */
export async function readState(backend: StateBackend): Promise<ParsedState | undefined> {
  const text = await backend.readText();
  if (text === undefined) return undefined;
  return parseState(text, backend.location);
}

export async function requireState(backend: StateBackend): Promise<ParsedState> {
  const parsed = await readState(backend);
  if (parsed) return parsed;
  throw new NicError("STATE_NOT_FOUND", `No state exists at ${backend.location}`, {
    details: { location: backend.location },
    recovery: ["Check --state (and the config's terraform_state), or create the state with `nic deploy` or `nic import`."],
  });
}

export interface WriteOptions {
  /** Skip the succession checks against the stored state (state push --force). Validation and the secrets guard still apply. */
  force?: boolean;
}

/**
 * Writes `next` as the successor of the stored state and returns what was written.
 * `next` must be of the stored lineage and based on the stored serial or a later one; it is written with
 * serial = max(next.serial, stored.serial) + 1, so a stale copy can never overwrite newer work.
 */
export async function writeState(backend: StateBackend, lock: LockHandle, next: State, opts: WriteOptions = {}): Promise<State> {
  validateState(next, "the state being written");
  assertNoSecrets(next, backend.location);
  let storedSerial = -1;
  if (!opts.force) {
    const stored = await readState(backend);
    // A state just migrated from a format without lineage has nothing to compare with.
    if (stored && !stored.migratedFrom) {
      checkSuccession(stored.state, next, backend.location);
      storedSerial = stored.state.serial;
    }
  }
  const written: State = {
    ...next,
    version: VERSION,
    serial: Math.max(next.serial, storedSerial) + 1,
    metadata: { ...next.metadata, updated: new Date().toISOString(), nic_version: VERSION },
  };
  await backend.writeText(serializeState(written), lock);
  return written;
}

function checkSuccession(stored: State, next: State, location: string): void {
  if (stored.lineage !== next.lineage) {
    throw new NicError("STATE_CONFLICT", `Refusing to overwrite the state at ${location}: it belongs to another deployment (lineage ${stored.lineage}, not ${next.lineage})`, {
      details: { location, stored: { lineage: stored.lineage, serial: stored.serial }, next: { lineage: next.lineage, serial: next.serial } },
      recovery: ["Check --state points at the deployment you mean. To replace it anyway: nic state push FILE --force (pull a copy first)."],
    });
  }
  if (stored.serial > next.serial) {
    throw new NicError("STATE_CONFLICT", `Refusing to overwrite the state at ${location}: it is newer (serial ${stored.serial}) than the one being written (serial ${next.serial})`, {
      details: { location, stored: { lineage: stored.lineage, serial: stored.serial }, next: { lineage: next.lineage, serial: next.serial } },
      recovery: ["Pull the current state (nic state pull), reapply your change to it, and push that."],
    });
  }
}
