// Reading ARM errors (the SDKs throw RestError with statusCode and code), and waiting for provisioningState.
import { sleep } from "../../engine/retry.ts";

export function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown })?.statusCode;
  return typeof s === "number" ? s : undefined;
}

export function codeOf(err: unknown): string {
  return String((err as { code?: unknown })?.code ?? "");
}

export const isNotFound = (err: unknown) => statusOf(err) === 404;

/** `call()`, or undefined when the resource does not exist. */
export async function orNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

const BUSY_MS = 30 * 60_000;

/**
 * AKS runs one operation per cluster at a time and answers 409 while another is in progress (a pool being created, an
 * upgrade someone else started); an ARM resource being deleted or provisioned answers 409 likewise. Worth waiting for.
 */
export function azureRetryClassifier(err: unknown): number | undefined {
  if (statusOf(err) !== 409) return undefined;
  const message = err instanceof Error ? err.message : "";
  if (/OperationNotAllowed|AnotherOperationInProgress|Conflict|InProgress|being deleted|in progress/i.test(`${codeOf(err)} ${message}`)) return BUSY_MS;
  return undefined;
}

const TERMINAL_FAILURE = new Set(["Failed", "Canceled"]);

/**
 * Reads until `state(read())` is Succeeded (returns it) or the resource is gone (undefined, when `gone` is wanted).
 * A Failed or Canceled state throws. The delay grows with the time already waited (a fifth, 200 ms to 15 s).
 */
export async function waitFor<T>(what: string, read: () => Promise<T | undefined>, state: (t: T) => string | undefined, want: "Succeeded" | "gone", signal: AbortSignal, timeoutMs: number): Promise<T | undefined> {
  const start = Date.now();
  for (;;) {
    const found = await read();
    if (!found) {
      if (want === "gone") return undefined;
      throw new Error(`${what} disappeared while NIC waited for it`);
    }
    const s = state(found) ?? "Succeeded";
    if (want === "Succeeded" && s === "Succeeded") return found;
    if (TERMINAL_FAILURE.has(s) && want === "Succeeded") throw new Error(`${what} is ${s}`);
    const elapsed = Date.now() - start;
    if (elapsed > timeoutMs) throw new Error(`${what} is still ${s} after ${Math.round(elapsed / 1000)} s`);
    await sleep(Math.min(15_000, Math.max(200, elapsed / 5)), signal);
  }
}
