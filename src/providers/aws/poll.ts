// Waiting for a cloud object to settle: poll with a delay that grows with the time already waited (about a fifth of
// it, 200 ms to 15 s), so a 2 s sandbox transition is seen within ~20% and a 15 min EKS create is polled every 15 s.
import { sleep } from "../../engine/retry.ts";

export class NotSettled extends Error {}

/**
 * Calls `check` until it returns a value; `check` returns undefined while still pending and throws when the
 * resource failed. Gives up after `timeoutMs`.
 */
export async function poll<T>(what: string, check: () => Promise<T | undefined>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const elapsed = Date.now() - start;
    if (elapsed > timeoutMs) throw new NotSettled(`${what} did not settle within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(Math.min(15_000, Math.max(200, elapsed / 5)), signal);
  }
}
