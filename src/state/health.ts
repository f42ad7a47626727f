// `nic status`: what the state says about a deployment, plus live health checks that providers contribute.
import type { LockInfo } from "./lock.ts";
import { describeHolder, isStale, lockAge } from "./lock.ts";
import type { PendingOperation, State } from "./format.ts";

export interface HealthIssue {
  severity: "error" | "warning";
  /** Stable, e.g. pending_operations, state_locked, node_group_degraded. */
  code: string;
  message: string;
  address?: string;
}

/** A live check against the cloud or the cluster, for the resources the state records. */
export interface HealthCheck {
  name: string;
  run(state: State, opts: { signal: AbortSignal; env: Record<string, string | undefined> }): Promise<HealthIssue[]>;
}

/**
 * Live checks per provider, registered explicitly (as providers are in src/providers/registry.ts); loaders keep SDKs lazy.
 * A provider adds e.g. `aws: async () => (await import("../providers/aws/health.ts")).checks`.
 */
export const HEALTH_CHECKS: Partial<Record<string, () => Promise<HealthCheck[]>>> = {};

export interface StatusReport {
  success: true;
  healthy: boolean;
  issues: HealthIssue[];
  location: string;
  provider: string | null;
  project_name: string | null;
  region: string | null;
  cluster: { address: string; name: string; endpoint: string | null } | null;
  /** Resource counts by kind. */
  resources: Record<string, number>;
  lock: (LockInfo & { age: string; stale: boolean }) | null;
  last_deploy: string | null;
  pending_operations: PendingOperation[];
  serial: number | null;
}

/** Builds the report from the state and the lock; `live` holds what the provider checks found. */
export function buildStatus(location: string, state: State | undefined, lock: LockInfo | undefined, live: HealthIssue[]): StatusReport {
  const issues: HealthIssue[] = [];
  if (!state) issues.push({ severity: "error", code: "state_missing", message: `No state exists at ${location}` });
  if (lock) {
    const stale = isStale(lock);
    issues.push({
      severity: stale ? "error" : "warning",
      code: stale ? "state_lock_stale" : "state_locked",
      message: stale ? `The state lock is stale: ${describeHolder(lock)} no longer runs` : `A run holds the state lock: ${describeHolder(lock)}`,
    });
  }
  for (const op of state?.pending_operations ?? []) {
    const cut = op.unknown_reason ? ` (cut off: ${op.unknown_reason})` : "";
    issues.push({ severity: "error", code: "pending_operation", address: op.address, message: `An interrupted ${op.operation} of ${op.address} since ${op.started_at}${cut}; run deploy to reconcile it` });
  }
  issues.push(...live);

  const resources: Record<string, number> = {};
  for (const entry of Object.values(state?.resources ?? {})) resources[entry.kind] = (resources[entry.kind] ?? 0) + 1;
  const clusterEntry = Object.entries(state?.resources ?? {}).find(([, r]) => r.kind.endsWith("_cluster"));
  const cluster = clusterEntry
    ? { address: clusterEntry[0], name: clusterEntry[1].provider_id, endpoint: typeof clusterEntry[1].attributes.endpoint === "string" ? clusterEntry[1].attributes.endpoint : null }
    : null;

  return {
    success: true,
    healthy: issues.length === 0,
    issues,
    location,
    provider: state?.provider ?? null,
    project_name: state?.project_name ?? null,
    region: state?.region ?? null,
    cluster,
    resources,
    lock: lock ? { ...lock, age: lockAge(lock), stale: isStale(lock) } : null,
    last_deploy: state?.metadata.last_successful_deploy ?? null,
    pending_operations: state?.pending_operations ?? [],
    serial: state?.serial ?? null,
  };
}

/** Runs the provider's live checks; a check that fails becomes an issue instead of failing `nic status`. */
export async function runHealthChecks(state: State, opts: { signal: AbortSignal; env: Record<string, string | undefined> }): Promise<HealthIssue[]> {
  const checks = (await HEALTH_CHECKS[state.provider]?.()) ?? [];
  const found = await Promise.all(
    checks.map((check) =>
      check.run(state, opts).catch((err: unknown): HealthIssue[] => [
        { severity: "error", code: "health_check_failed", message: `The ${check.name} check failed: ${(err as Error).message ?? String(err)}` },
      ]),
    ),
  );
  return found.flat();
}
