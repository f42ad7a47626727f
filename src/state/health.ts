// `nic status`: what the state says about a deployment, plus live health checks that providers contribute.
import type { LockInfo } from "./lock.ts";
import { describeHolder, isStale, lockAge } from "./lock.ts";
import type { PendingOperation, State } from "./format.ts";

export interface HealthIssue {
  /** A notice informs and leaves the deployment healthy. */
  severity: "error" | "warning" | "notice";
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

/** What the configuration asks for, when it could be read: its hash and the address of every desired resource. */
export interface ConfigExpectation {
  hash: string;
  desired: string[];
}

/**
 * Builds the report from the state and the lock; `live` holds what the provider checks found. Healthy means: the last
 * run finished, nothing is pending, no lock is held, and (with the configuration) every desired resource is tracked.
 */
export function buildStatus(location: string, state: State | undefined, lock: LockInfo | undefined, live: HealthIssue[], config?: ConfigExpectation): StatusReport {
  const issues: HealthIssue[] = [];
  if (!state) issues.push({ severity: "error", code: "state_missing", message: `No state exists at ${location}` });
  if (state) issues.push(...runIssues(state), ...(config ? configIssues(state, config) : []));
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
    healthy: issues.every((i) => i.severity === "notice"),
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

/** A state with resources that no run completed: neither a finished deploy nor an import recorded them. */
function runIssues(state: State): HealthIssue[] {
  const entries = Object.values(state.resources);
  const imported = entries.some((r) => r.imported_from_terraform);
  if (!entries.length || state.metadata.last_successful_deploy || imported) return [];
  return [{ severity: "error", code: "no_finished_run", message: `No deploy has finished yet: the ${entries.length} resources in the state are what an unfinished run left; run deploy to complete it` }];
}

/** What the configuration wants and the state does not track, and a configuration changed since the last run. */
function configIssues(state: State, config: ConfigExpectation): HealthIssue[] {
  const issues: HealthIssue[] = [];
  const kept = state.metadata.kept_from_import ?? [];
  const keptAbsent = new Set(kept.filter((k) => k.field === "*").map((k) => k.address));
  const untracked = config.desired.filter((a) => !(a in state.resources) && !keptAbsent.has(a));
  if (untracked.length) {
    const shown = untracked.slice(0, 5).join(", ") + (untracked.length > 5 ? `, … (${untracked.length - 5} more)` : "");
    issues.push({ severity: "error", code: "desired_untracked", message: `${untracked.length} resource(s) the configuration asks for are not tracked: ${shown}; the next deploy creates them` });
  }
  if (kept.length) {
    const shown = kept.slice(0, 5).map((k) => (k.field === "*" ? `${k.address} (not created)` : `${k.address} ${k.field}`)).join(", ") + (kept.length > 5 ? `, … (${kept.length - 5} more)` : "");
    issues.push({ severity: "notice", code: "kept_from_import", message: `${kept.length} value(s) an older Nebari made are kept from the import where NIC's defaults differ: ${shown}` });
  }
  if (state.metadata.configuration_hash && state.metadata.configuration_hash !== config.hash)
    issues.push({ severity: "notice", code: "configuration_changed", message: "The configuration changed since the last deploy or import: the next deploy may change something (`nic deploy --dry-run` shows what)" });
  return issues;
}

/** The configuration's expectation, or undefined when it cannot be read or its provider deploys nothing (status then reads the state alone). */
export async function configExpectation(configPath: string, env: Record<string, string | undefined>): Promise<ConfigExpectation | undefined> {
  try {
    const { loadConfig } = await import("../config/load.ts");
    const { loadProvider } = await import("../deploy/phases.ts");
    const { stage03Resources } = await import("../kubernetes/stage03.ts");
    const loaded = loadConfig(configPath, { env });
    const provider = await loadProvider(loaded, "status");
    const region = loaded.config.amazon_web_services?.region;
    const desired = [...provider.desired(loaded.config), ...stage03Resources(loaded.config, { region })].map((r) => r.address);
    return { hash: loaded.hash, desired };
  } catch {
    return undefined;
  }
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
