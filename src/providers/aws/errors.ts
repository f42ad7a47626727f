// Reading AWS SDK errors: NotFound codes, and the errors worth retrying for a while.
import { sleep } from "../../engine/retry.ts";

export function errorCode(err: unknown): string {
  if (typeof err !== "object" || err === null) return "";
  const e = err as { name?: string; Code?: string; code?: string };
  return String(e.Code ?? e.name ?? e.code ?? "");
}

const NOT_FOUND = /NotFound|NoSuchEntity|ResourceNotFoundException|FileSystemNotFound|MountTargetNotFound|RepositoryNotFoundException|NotFoundException/;

export function isNotFound(err: unknown): boolean {
  return NOT_FOUND.test(errorCode(err));
}

/** `call()`, or undefined when the resource does not exist. */
export async function orNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Deletes treat NotFound as done. */
export async function ignoreNotFound(call: () => Promise<unknown>): Promise<void> {
  await orNotFound(call);
}

// IAM is eventually consistent: EKS may not see a role (or its trust policy) for seconds after CreateRole.
const ROLE_NOT_READY = [/role.*(does not exist|cannot be assumed|could not be assumed|is not authorized)/i, /Error in role params/i, /not authorized to perform: (sts:AssumeRole|iam:PassRole)/i, /doesn't have the Amazon EKS Managed Policies/i];
const IAM_PROPAGATION_MS = 2 * 60_000;

/** Retry budget (ms) for IAM eventual consistency on CreateCluster/CreateNodegroup and IRSA trust policies; else undefined. */
export function awsRetryClassifier(err: unknown): number | undefined {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? "");
  if (code === "InvalidParameterException" && ROLE_NOT_READY.some((r) => r.test(message))) return IAM_PROPAGATION_MS;
  if (code === "MalformedPolicyDocument" && /Invalid principal/i.test(message)) return IAM_PROPAGATION_MS;
  return undefined;
}

/**
 * Retries `call` while it fails with DependencyViolation (ENIs of deleted node groups, load balancers and mount targets
 * linger in subnets and security groups for a while), up to `budgetMs`.
 */
export async function whileDependent(call: () => Promise<unknown>, signal: AbortSignal, budgetMs = 10 * 60_000): Promise<void> {
  const start = Date.now();
  for (let delay = 500; ; delay = Math.min(delay * 2, 15_000)) {
    try {
      await call();
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!/DependencyViolation|InvalidGatewayID|FileSystemInUse/.test(errorCode(err)) || Date.now() - start + delay > budgetMs) throw err;
      await sleep(delay, signal);
    }
  }
}
