// GKE's long-running operations: one per cluster at a time. A change that finds the cluster busy is retried with
// backoff (FAILED_PRECONDITION "incompatible operation"); every operation is polled to DONE and its error surfaced.
import type { ClusterManagerClient } from "@google-cloud/container";
import { sleep } from "../../engine/retry.ts";
import { poll } from "../aws/poll.ts";
import { gapic, GcpApiError, isClusterBusy } from "./errors.ts";

const BUSY_BUDGET_MS = 20 * 60_000;

type Operation = { name?: string | null; status?: unknown; statusMessage?: string | null; error?: { message?: string | null } | null };

/** `start()` (one GKE change) once the cluster is free, then its operation to DONE. */
export async function gkeChange(gke: ClusterManagerClient, location: string, what: string, start: () => Promise<Operation>, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const began = Date.now();
  let op: Operation;
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15_000)) {
    try {
      op = await gapic(start);
      break;
    } catch (err) {
      if (!isClusterBusy(err) || Date.now() - began + delay > BUSY_BUDGET_MS) throw err;
      await sleep(delay * (0.5 + Math.random() / 2), signal);
    }
  }
  await untilDone(gke, location, op, what, signal, timeoutMs);
}

export async function untilDone(gke: ClusterManagerClient, location: string, op: Operation, what: string, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const name = `${location}/operations/${op.name}`;
  const done = await poll(what, async () => {
    const [current] = await gapic(() => gke.getOperation({ name }));
    return String(current.status) === "DONE" ? current : undefined;
  }, signal, timeoutMs);
  const failure = done.error?.message || done.statusMessage;
  if (failure) throw new GcpApiError(500, "OPERATION_FAILED", `${what}: operation ${op.name} failed: ${failure}`);
}
