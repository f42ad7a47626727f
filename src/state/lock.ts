// Lock information shared by every backend, and the words NIC uses to describe a holder.
import { hostname, userInfo } from "node:os";
import { NicError } from "../cli/errors.ts";
import { VERSION } from "../version.ts";

export interface LockInfo {
  id: string;
  /** What the holder is doing: deploy, destroy, state push, … */
  operation: string;
  /** user@host */
  who: string;
  pid: number;
  version: string;
  created: string;
  /** The state location the lock protects. */
  path: string;
}

/** What a backend hands back from lock(): enough to release exactly this lock and nobody else's. */
export interface LockHandle {
  id: string;
  info: LockInfo;
}

/** The id of a lock that exists but carries no readable information (a crash between taking and labelling it). */
export const UNLABELLED_LOCK_ID = "unlabelled";

export function newLockInfo(operation: string, path: string, id: string = crypto.randomUUID()): LockInfo {
  return { id, operation, who: `${currentUser()}@${hostname()}`, pid: process.pid, version: VERSION, created: new Date().toISOString(), path };
}

export function unlabelledLock(path: string): LockInfo {
  return { id: UNLABELLED_LOCK_ID, operation: "unknown", who: "unknown", pid: 0, version: "unknown", created: new Date(0).toISOString(), path };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (containers): fall back to the environment, then the uid.
    return process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME ?? `uid${process.getuid?.() ?? ""}`;
  }
}

/** True when the holder ran on this host and its process is gone: the lock outlived its owner. */
export function isStale(info: LockInfo): boolean {
  if (info.who.split("@").pop() !== hostname() || info.pid <= 0) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export function lockAge(info: LockInfo, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(info.created)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

export function describeHolder(info: LockInfo): string {
  if (info.id === UNLABELLED_LOCK_ID) return "an unlabelled lock (its holder crashed while taking it, or another tool holds it)";
  return `${info.who} (pid ${info.pid}, ${info.operation}, nic ${info.version}) for ${lockAge(info)}`;
}

/** The command that breaks this lock, spelled so it can be pasted. */
export function unlockCommand(info: LockInfo, location: string): string {
  return `nic state unlock ${info.id} --state '${location}'`;
}

export function lockedError(info: LockInfo, location: string, waited?: string): NicError {
  const stale = isStale(info);
  const holder = describeHolder(info);
  const message = stale
    ? `The state at ${location} is locked by ${holder}, but that process no longer exists: the lock is stale`
    : `The state at ${location} is locked by ${holder}${waited ? `; gave up after waiting ${waited}` : ""}`;
  const recovery = stale
    ? [`Check that no NIC run is active for this state, then break the lock: ${unlockCommand(info, location)}`]
    : [
        "Wait for that run to finish, or rerun with --lock-timeout 5m to wait for it.",
        `If that run is gone (a crash on another machine), break the lock: ${unlockCommand(info, location)}`,
      ];
  return new NicError("STATE_LOCKED", message, { details: { lock: info, stale, location }, recovery });
}

/** forceUnlock's guard: there must be a lock, and it must be the one the user named. */
export function requireLockId(current: LockInfo | undefined, id: string, location: string): LockInfo {
  if (!current) throw new NicError("STATE_NOT_LOCKED", `The state at ${location} is not locked`, { details: { location, id } });
  if (current.id !== id) {
    throw new NicError("INPUT_INVALID", `The lock on ${location} has id ${current.id}, not ${id}`, {
      details: { location, id, lock: current },
      recovery: [`The lock changed hands; check ${describeHolder(current)} before breaking it: ${unlockCommand(current, location)}`],
    });
  }
  return current;
}

/** A release found another holder: someone broke this run's lock and took it. */
export function lockStolen(location: string, current: LockInfo): NicError {
  return new NicError("STATE_BACKEND_ERROR", `The lock on ${location} was broken while this run held it; it is now held by ${current.who} (${current.operation})`, {
    details: { location, lock: current },
    recovery: ["Someone ran `nic state unlock` during this run. Check the state with `nic state show` before running again."],
  });
}
