// `nic drift fix`: actual ← desired through the deploy engine. Under the state lock: plan both phases, show the plan,
// confirm, apply. Objects NIC does not want (found by `drift detect` as added) are left alone.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { PhaseReport } from "../deploy/deploy.ts";
import { applyPhase, planPhase, reading } from "../deploy/phase.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import type { ApplyEvent } from "../engine/apply.ts";
import { hasChanges, type Plan } from "../engine/plan.ts";
import type { StateBackend } from "../state/backend.ts";
import type { State } from "../state/format.ts";
import { withStateLock } from "../state/session.ts";
import { confirmChange, type Prompter } from "../destroy/confirm.ts";
import { cloudPhase, hasCluster, kubernetesPhase } from "../deploy/phases.ts";

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
      const phaseOpts = { allowReplace: opts.allowReplace, parallelism: opts.parallelism, signal: session.signal, log: opts.log, onEvent: opts.onEvent };
      const cloud = await cloudPhase(loaded, provider, session.state, opts.env);
      const cloudPlan = await planPhase(cloud, session.state, phaseOpts);
      const clusterChanges = cloudPlan.entries.some((e) => e.kind.endsWith("_cluster") && e.action !== "no-op");
      const kubernetes = () => kubernetesPhase(loaded, provider, session.state, opts.env, { forceConflicts: opts.forceConflicts });

      const phases: PhaseReport[] = [{ name: "cloud", plan: cloudPlan }];
      // Stage 03 is planned now only when the cluster stays as it is; otherwise after the cloud is fixed.
      let kube = hasCluster(session.state) && !clusterChanges ? await reading("kubernetes", kubernetes) : undefined;
      if (kube) phases.push({ name: "kubernetes", plan: await planPhase(kube.spec, session.state, phaseOpts) });
      opts.show(phases);
      const changed = phases.some((p) => hasChanges(p.plan));
      if (!changed) return { phases, changed, state: session.state };
      await confirmChange("Apply this plan to make the infrastructure match the configuration?", opts.yes, opts.prompter);

      phases[0]!.result = await applyPhase(cloud, cloudPlan, session, phaseOpts);
      failIfIncomplete(phases[0]!);
      if (!kube) {
        kube = await kubernetes();
        phases[1] = { name: "kubernetes", plan: await planPhase(kube.spec, session.state, phaseOpts) };
        opts.show([phases[1]]);
      }
      const kubePhase = phases[1]!;
      kubePhase.result = await applyPhase(kube.spec, kubePhase.plan, session, phaseOpts);
      failIfIncomplete(kubePhase);
      return { phases, changed, state: session.state };
    },
    { timeoutMs: opts.lockTimeoutMs, log: opts.log },
  );
}

function failIfIncomplete(phase: PhaseReport): void {
  if (phase.result?.success) return;
  const failed = phase.result?.failed ?? [];
  throw new NicError("DEPLOY_FAILED", `drift fix: the ${phase.name} phase did not finish: ${failed.map((f) => `${f.address}: ${f.error}`).join("; ") || "stopped"}`, {
    details: { phase: phase.name, failed: failed.map((f) => ({ address: f.address, operation: f.operation, error: f.error })), skipped: phase.result?.skipped },
    recovery: ["What finished is recorded in the state; fix the cause and run `nic drift fix` (or `nic deploy`) again."],
  });
}
