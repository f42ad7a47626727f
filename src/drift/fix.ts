// `nic drift fix`: actual ← desired through the deploy engine. Under the state lock: plan the one graph, show the plan
// (its cloud and kubernetes sections), confirm, apply. Objects NIC does not want (found by `drift detect` as added) are left alone.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { PhaseReport } from "../deploy/deploy.ts";
import { deploymentGraph, planGraph } from "../deploy/graph.ts";
import { applyPhase, reading } from "../deploy/phase.ts";
import { preflight } from "../deploy/preflight.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { sectionOf, sections } from "../deploy/sections.ts";
import type { ApplyEvent, ApplyResult } from "../engine/apply.ts";
import { hasChanges, type Plan } from "../engine/plan.ts";
import type { StateBackend } from "../state/backend.ts";
import type { State } from "../state/format.ts";
import { withStateLock } from "../state/session.ts";
import { confirmChange, type Prompter } from "../destroy/confirm.ts";
import { timedOutCall } from "../net/deadlines.ts";

export interface FixOptions {
  env: Env;
  log: Logger;
  yes: boolean;
  prompter: Prompter;
  lockTimeoutMs: number;
  allowReplace: boolean;
  forceConflicts: boolean;
  parallelism?: number;
  /** Shows the plans before confirmation is asked. */
  show: (plans: Array<{ name: string; plan: Plan }>) => void;
  onEvent?: (event: ApplyEvent) => void;
}

export interface FixReport {
  phases: PhaseReport[];
  changed: boolean;
  state?: State;
}

export async function fixDrift(loaded: LoadedConfig, provider: DeployProvider, backend: StateBackend, opts: FixOptions): Promise<FixReport> {
  return withStateLock(
    backend,
    "drift fix",
    async (session) => {
      if (!session.state) throw new NicError("STATE_NOT_FOUND", `No state exists at ${backend.location}: nothing is deployed to fix`, { details: { location: backend.location } });
      await preflight({ files: [], provider, config: loaded.config, env: opts.env, signal: session.signal });
      // As deploy: a create a cut-off run may still have in flight is held off (deploy/journal.ts), not duplicated.
      const phaseOpts = { allowReplace: opts.allowReplace, waitForInFlight: true, parallelism: opts.parallelism, signal: session.signal, log: opts.log, onEvent: opts.onEvent };
      const graph = await reading("cloud", () => deploymentGraph(loaded, provider, () => session.state, opts.env, { forceConflicts: opts.forceConflicts }), loaded.config.provider);
      const p = await planGraph(graph, session.state, phaseOpts);
      opts.show(sections(p));
      const changed = hasChanges(p);
      if (!changed) return { phases: sections(p), changed, state: session.state };
      await confirmChange("Apply this plan to make the infrastructure match the configuration?", opts.yes, opts.prompter);

      const result = await applyPhase(graph, p, session, phaseOpts);
      const phases = sections(p, result);
      failIfIncomplete(result);
      return { phases, changed, state: session.state };
    },
    { timeoutMs: opts.lockTimeoutMs, log: opts.log },
  );
}

function failIfIncomplete(result: ApplyResult): void {
  if (result.success) return;
  const { failed } = result;
  const where = [...new Set(failed.map((f) => sectionOf(f.address)))].join(" and ") || "deploy";
  const calls = [...new Set(failed.map((f) => timedOutCall(f.cause)).filter((c): c is string => Boolean(c)))];
  const timedOut = calls.length > 0 && failed.every((f) => timedOutCall(f.cause));
  throw new NicError(timedOut ? "REQUEST_TIMEOUT" : "DEPLOY_FAILED", `drift fix did not finish (${where}): ${failed.map((f) => `${f.address}: ${f.error}`).join("; ") || "stopped"}`, {
    details: { phase: where, ...(timedOut && { call: calls[0], calls }), failed: failed.map((f) => ({ address: f.address, operation: f.operation, error: f.error, ...(timedOutCall(f.cause) && { call: timedOutCall(f.cause) }) })), skipped: result.skipped },
    recovery: [...new Set(failed.flatMap((f) => (f.cause instanceof NicError ? f.cause.recovery : []))), "What finished is recorded in the state; fix the cause and run `nic drift fix` (or `nic deploy`) again."],
  });
}
