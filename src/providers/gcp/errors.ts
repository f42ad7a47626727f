// Reading Google API errors (REST JSON and GAPIC alike): the canonical status name, NotFound, and what to retry.
import { timeoutIn } from "./deadlines.ts";

/** A non-2xx REST answer: HTTP status and Google's canonical status (NOT_FOUND, FAILED_PRECONDITION, ...). */
export class GcpApiError extends Error {
  override name = "GcpApiError";
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

/**
 * `call()` with a GAPIC REST error (a GaxiosError whose body is Google's JSON error) turned into GcpApiError, so
 * every GCP error reads the same way.
 */
export async function gapic<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { response?: { status?: number; data?: unknown }; code?: unknown; message?: string };
    const timeout = timeoutIn(err);
    if (timeout) throw timeout;
    if (!e?.response) throw err;
    let data = e.response.data as any;
    if (typeof data === "string") data = JSON.parse(data.trim().startsWith("{") ? data : "{}");
    const error = data?.error;
    throw new GcpApiError(e.response.status ?? Number(e.code) ?? 500, error?.status ?? String(e.response.status), error?.message ?? e.message ?? "");
  }
}

/** gRPC codes as GAPIC reports them (err.code is a number) and their names. */
const GRPC = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"];

/** The canonical status name of an error from either client. */
export function gcpReason(err: unknown): string {
  if (err instanceof GcpApiError) return err.reason;
  const e = err as { code?: unknown; reason?: unknown; statusDetails?: unknown } | null;
  if (typeof e?.code === "number" && GRPC[e.code]) return GRPC[e.code]!;
  if (typeof e?.code === "number") return e.code === 404 ? "NOT_FOUND" : e.code === 409 ? "ALREADY_EXISTS" : String(e.code);
  return "";
}

export const isNotFound = (err: unknown) => gcpReason(err) === "NOT_FOUND";
export const isAlreadyExists = (err: unknown) => gcpReason(err) === "ALREADY_EXISTS";

export async function orNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err));

/** GKE runs one operation per cluster: "Cluster is running incompatible operation …" (FAILED_PRECONDITION). */
export function isClusterBusy(err: unknown): boolean {
  return gcpReason(err) === "FAILED_PRECONDITION" && /incompatible operation|operation .* is in progress|not ready|currently (creating|updating|reconciling)/i.test(errorMessage(err));
}

const CLUSTER_BUSY_MS = 20 * 60_000;
const IAM_PROPAGATION_MS = 2 * 60_000;
const TRANSIENT_MS = 5 * 60_000;

/**
 * Retry budget (ms) for what passes: the cluster busy with another operation, a stale policy etag (ABORTED), quota
 * throttling, and a new service account GKE cannot see yet (IAM eventual consistency).
 */
export function gcpRetryClassifier(err: unknown): number | undefined {
  const reason = gcpReason(err);
  if (isClusterBusy(err)) return CLUSTER_BUSY_MS;
  if (reason === "ABORTED" || reason === "RESOURCE_EXHAUSTED" || reason === "UNAVAILABLE") return TRANSIENT_MS;
  if (reason === "INVALID_ARGUMENT" && /service account .*(does not exist|not found)/i.test(errorMessage(err))) return IAM_PROPAGATION_MS;
  return undefined;
}
