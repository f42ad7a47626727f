// Working on a state under its lock: wait for the lock with backoff, release it on success, error and signals,
// serialise writes, and keep the intent journal. This is what deploy, destroy, import and `state push` use.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import { deadlines } from "../net/deadlines.ts";
import type { StateBackend } from "./backend.ts";
import type { PendingOperation, State } from "./format.ts";
import { describeHolder, isStale, lockedError, newLockInfo, type LockHandle, type LockInfo } from "./lock.ts";
import { readState, writeState, type WriteOptions } from "./store.ts";

export interface LockOptions {
  /** How long to wait while another run holds the lock; 0 (the default) fails at once with STATE_LOCKED. */
  timeoutMs?: number;
  log?: Logger;
}

export interface SessionOptions extends LockOptions {
  /** Do not read the stored state first (state push --force over a state that no longer parses). */
  skipRead?: boolean;
}

const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 2000;

/** Takes the lock, waiting up to timeoutMs with exponential backoff and telling the user who holds it. */
export async function acquireLock(backend: StateBackend, operation: string, opts: LockOptions = {}): Promise<LockHandle> {
  const timeoutMs = opts.timeoutMs ?? 0;
  const started = Date.now();
  let delay = FIRST_DELAY_MS;
  let announced: string | undefined;
  for (;;) {
    try {
      return await backend.lock(newLockInfo(operation, backend.location));
    } catch (err) {
      if (!(err instanceof NicError && err.code === "STATE_LOCKED")) throw err;
      const holder = err.details.lock as LockInfo;
      const left = started + timeoutMs - Date.now();
      // A stale lock never goes away by itself, so waiting for it is pointless. But a holder that released its lock and
      // exited just after we read it also looks stale: it is stale only if the same lock is still there.
      if (isStale(holder) && (await backend.describeLock())?.id !== holder.id) continue;
      if (left <= 0 || isStale(holder)) throw timeoutMs > 0 ? lockedError(holder, backend.location, formatMs(timeoutMs)) : err;
      if (announced !== holder.id) {
        opts.log?.info(`Waiting up to ${formatMs(timeoutMs)} for the state lock held by ${describeHolder(holder)}`, { lock_id: holder.id });
        announced = holder.id;
      }
      opts.log?.progress(`waiting for the state lock (${describeHolder(holder)}), ${formatMs(left)} left`);
      await Bun.sleep(Math.min(left, delay * (0.5 + Math.random())));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}

/** What the deploy engine is about to do to the cloud (structurally the engine's `Intent`). */
export interface Intent {
  address: string;
  kind?: string;
  operation: PendingOperation["operation"];
  /** Sent with the cloud call (e.g. EKS clientRequestToken). */
  requestToken: string;
  /** The cloud id, for updates and deletes. */
  id?: string;
}

/** How the call ended (structurally the engine's `Outcome`). `unknown`: cut off mid-call, the cloud may have done it. */
export interface Outcome {
  status: "done" | "failed" | "unknown";
  reason?: string;
  error?: string;
}

/** The intent journal, recorded in state before each mutating cloud call. Pass `session.journal` to the engine's apply(). */
export interface Journal {
  /** Records the intent before the call; returns the entry id. */
  begin(intent: Intent): Promise<string>;
  /**
   * Done or failed: the entry is cleared, except a create's, which stays until the state records the resource
   * (a failed create may have made it). Unknown: it stays, marked, for the next deploy/destroy to reconcile.
   * `change` (e.g. recording the resource) lands in the same write.
   */
  end(id: string, outcome: Outcome, change?: (state: State) => void): Promise<void>;
  /** Entries left by this run or by a run that crashed: deploy/destroy must reconcile them first. */
  pending(): PendingOperation[];
}

export class StateSession {
  /** The state as last read or written under the lock; undefined until the first save when none exists. */
  state: State | undefined;
  readonly journal: Journal;
  private queue: Promise<unknown> = Promise.resolve();
  /** The changes waiting for the next write (see enqueue). */
  private open: Batch | undefined;

  constructor(
    private readonly backend: StateBackend,
    readonly lock: LockHandle,
    state: State | undefined,
    /** Aborted on the first SIGINT/SIGTERM: stop at the next safe point, the lock is released afterwards. */
    readonly signal: AbortSignal,
  ) {
    this.state = state;
    this.journal = {
      begin: async (intent) => {
        const id = crypto.randomUUID();
        const now = Date.now();
        const entry: PendingOperation = { id, address: intent.address, operation: intent.operation, idempotency_token: intent.requestToken, started_at: new Date(now).toISOString() };
        // If this run is cut off, a rerun holds off creating it again until this request has surely ended (deploy/journal.ts).
        if (intent.operation === "create") entry.in_flight_until = new Date(now + deadlines().requestMs).toISOString();
        if (intent.kind) entry.kind = intent.kind;
        if (intent.id) entry.resource_id = intent.id;
        await this.update((s) => void s.pending_operations.push(entry));
        return id;
      },
      end: async (id, outcome, change) => {
        await this.update((s) => {
          change?.(s);
          const entry = s.pending_operations.find((op) => op.id === id);
          if (!entry) return;
          const untracked = entry.operation === "create" && !(entry.address in s.resources);
          if (outcome.status === "unknown") entry.unknown_reason = outcome.reason ?? "interrupted";
          else if (untracked && outcome.status === "failed") entry.unknown_reason = `failed: ${outcome.error ?? outcome.reason ?? "unknown error"}`;
          else if (!untracked) s.pending_operations = s.pending_operations.filter((op) => op.id !== id);
        });
      },
      pending: () => [...(this.state?.pending_operations ?? [])],
    };
  }

  /** Writes `next` whole (a new state, a migrated one, a pushed file). */
  save(next: State, opts: WriteOptions = {}): Promise<State> {
    return this.enqueue(() => next, opts);
  }

  /** Applies `change` to a copy of the latest state and writes it. Writes run one after another. */
  async update(change: (state: State) => void): Promise<State> {
    return this.enqueue((current) => {
      if (!current) throw new NicError("STATE_NOT_FOUND", `No state exists at ${this.backend.location} to update`, { details: { location: this.backend.location } });
      const draft = structuredClone(current);
      change(draft);
      return draft;
    });
  }

  /** Resolves when no write is in flight. */
  async settle(): Promise<void> {
    await this.queue.catch(() => {});
  }

  /**
   * Group commit: changes that arrive while a write is in flight go into the next write together, so parallel steps
   * do not queue one write each. Every caller still resolves only once its change is on the backend.
   */
  private enqueue(next: (current: State | undefined) => State, opts: WriteOptions = {}): Promise<State> {
    let batch = this.open;
    if (!batch || batch.force !== Boolean(opts.force)) {
      const opened: Batch = { force: Boolean(opts.force), entries: [] };
      this.open = batch = opened;
      this.queue = this.queue.catch(() => {}).then(() => this.flush(opened));
    }
    const { promise, resolve, reject } = Promise.withResolvers<State>();
    batch.entries.push({ next, resolve, reject });
    return promise;
  }

  private async flush(batch: Batch): Promise<void> {
    if (this.open === batch) this.open = undefined;
    let state = this.state;
    const applied: Batch["entries"] = [];
    for (const entry of batch.entries) {
      try {
        state = entry.next(state);
        applied.push(entry);
      } catch (err) {
        entry.reject(err); // only this change is refused; the others are written
      }
    }
    if (!applied.length || !state) return;
    try {
      this.state = await writeState(this.backend, this.lock, state, { force: batch.force });
      for (const entry of applied) entry.resolve(this.state);
    } catch (err) {
      for (const entry of applied) entry.reject(err); // delivered to each caller; the queue itself never rejects
    }
  }
}

interface Batch {
  force: boolean;
  entries: Array<{ next: (current: State | undefined) => State; resolve: (state: State) => void; reject: (err: unknown) => void }>;
}

/**
 * Runs `work` while holding the state lock. The lock is released when `work` ends, fails, or the process is interrupted:
 * the first SIGINT/SIGTERM aborts `session.signal`; a second one waits for any state write in flight, releases the lock and exits.
 * A state of an older format is migrated and written back here, under the lock.
 */
export async function withStateLock<T>(backend: StateBackend, operation: string, work: (session: StateSession) => Promise<T>, opts: SessionOptions = {}): Promise<T> {
  const lock = await acquireLock(backend, operation, opts);
  // Logged inside the hold (after acquiring, before releasing), so a checker can prove holders never overlap.
  opts.log?.debug("State lock acquired", { lock_id: lock.id, pid: process.pid, location: backend.location });
  const controller = new AbortController();
  let session: StateSession | undefined;
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      opts.log?.warn(`${name} received: stopping at the next safe point. Press Ctrl-C again to stop now; the state stays consistent.`);
      const reason = new Error(`Interrupted by ${name}`);
      // Calls cut off by the abort may reject with its reason after nobody waits for them any more (inside the SDK's
      // HTTP handler): that is the interruption we asked for, not a crash, and must not turn exit 130 into 1.
      process.on("unhandledRejection", (rejected) => {
        if (rejected !== reason) throw rejected;
        opts.log?.debug("A call cut off by the interruption ended after the run stopped");
      });
      controller.abort(reason);
      return;
    }
    if (signals > 2) return;
    opts.log?.warn("Stopping now: finishing the state write in flight and releasing the lock.");
    void (async () => {
      await session?.settle();
      await backend.unlock(lock).catch(() => {});
      process.exit(name === "SIGINT" ? 130 : 143);
    })();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const parsed = opts.skipRead ? undefined : await readState(backend);
    session = new StateSession(backend, lock, parsed?.state, controller.signal);
    if (parsed?.migratedFrom) {
      opts.log?.info(`Migrating the state from format ${parsed.migratedFrom} to ${parsed.state.format_version}`);
      await session.save(parsed.state);
    }
    return await work(session);
  } catch (err) {
    // The first Ctrl-C: whatever the cut-off step reported, the run stopped because it was asked to.
    if (controller.signal.aborted && !(err instanceof NicError && err.code !== "DEPLOY_FAILED" && err.code !== "DESTROY_INCOMPLETE")) throw interrupted(controller.signal, operation, err);
    throw err;
  } finally {
    await session?.settle();
    opts.log?.debug("State lock releasing", { lock_id: lock.id, pid: process.pid, location: backend.location });
    try {
      await backend.unlock(lock);
    } catch (err) {
      opts.log?.error(`Could not release the state lock ${lock.id}: ${(err as Error).message}`, { lock_id: lock.id });
    }
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function interrupted(signal: AbortSignal, operation: string, cause: unknown): NicError {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  return new NicError("INTERRUPTED", `${reason}: ${operation} stopped at a safe point; the state records what finished and the lock is released`, {
    details: { operation, stopped_by: reason, ...(cause instanceof NicError ? { stopped: cause.details } : {}) },
    recovery: [`Run \`nic ${operation}\` again to continue; it resolves what was in flight (\`nic status\` shows it).`],
    cause,
  });
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds}s` : `${Math.round(seconds / 60)}m`;
}

/** Parses --lock-timeout values such as 30s, 5m, 1h or 500ms. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) {
    throw new NicError("INPUT_INVALID", `--lock-timeout must be a duration such as 30s, 5m or 1h; got "${text}"`, { details: { flag: "lock-timeout", value: text } });
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * unit;
}
