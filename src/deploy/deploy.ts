// `nic deploy`: stage 02 (the cloud) then stage 03 (Kubernetes), each observe → plan → apply under the state lock,
// then outputs.json and the kubeconfig. A dry run plans both phases against the state as read, without the lock.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { ApplyEvent, ApplyResult } from "../engine/apply.ts";
import { plan, type Plan } from "../engine/plan.ts";
import { checkSavedPlan, readSavedPlan, savePlan } from "../engine/saved-plan.ts";
import { replaceFile } from "../fs/atomic.ts";
import type { StateBackend } from "../state/backend.ts";
import { newState, type State } from "../state/format.ts";
import { withStateLock, type StateSession } from "../state/session.ts";
import { readState } from "../state/store.ts";
import { applyPhase, planPhase } from "./phase.ts";
import { preflight } from "./preflight.ts";
import { permissionHints, refusalOf } from "./denied.ts";
import { checkOwnership, cloudPhase, kubernetesDesired, kubernetesPhase, loadProvider } from "./phases.ts";
import type { DeployProvider, Env } from "./provider.ts";
import { actualFrom, trackedFrom } from "./tracked.ts";
import { writeOutputs, type OutputPaths } from "./write-outputs.ts";

export interface DeployOptions {
  dryRun: boolean;
  allowReplace: boolean;
  parallelism?: number;
  rollbackOnFailure: boolean;
  forceConflicts: boolean;
  /** Record resources found by name that the state neither tracks nor was creating (refused otherwise). */
  adoptExisting?: boolean;
  /** Also wait until stage 03's Deployments are available. */
  waitForWorkloads?: boolean;
  lockTimeoutMs: number;
  paths: OutputPaths;
  /** With dryRun: save the cloud plan here, to be applied later with planFile. */
  planOut?: string;
  /** Apply exactly this saved cloud plan, refusing it if the state or the configuration moved on. */
  planFile?: string;
  env: Env;
  log: Logger;
  onEvent?: (event: ApplyEvent) => void;
}

export interface PhaseReport {
  name: string;
  plan: Plan;
  result?: ApplyResult;
}

export interface DeployReport {
  phases: PhaseReport[];
  state?: State;
  outputsWritten: boolean;
}

/** The provider's deploy adapter, refusing a configuration that sets prevent_deploy. */
export async function loadDeployProvider(loaded: LoadedConfig): Promise<DeployProvider> {
  if (loaded.config.prevent_deploy) {
    throw new NicError("DEPLOY_PREVENTED", `${loaded.file} sets prevent_deploy: true`, {
      recovery: ["Remove prevent_deploy (or set it to false) once the deployment may change again."],
    });
  }
  return loadProvider(loaded, "deploy");
}

export async function deploy(loaded: LoadedConfig, provider: DeployProvider, backend: StateBackend, opts: DeployOptions): Promise<DeployReport> {
  const { config } = loaded;

  if (opts.dryRun) {
    // The dry run refuses what the real run refuses: another project's state, resources another state owns.
    const state = (await readState(backend))?.state;
    if (state) checkOwnership(state, loaded);
    await preflight({ files: filesWritten(opts), provider, config: loaded.config, env: opts.env, signal: new AbortController().signal });
    const cloud = await cloudPhase(loaded, provider, state, opts.env);
    const signal = new AbortController().signal;
    const cloudPlan = await planPhase(cloud, state, { allowReplace: opts.allowReplace, adoptExisting: opts.adoptExisting, signal });
    if (opts.planOut) await replaceFile(opts.planOut, savePlan(cloudPlan, stampOf(state), loaded.hash));
    const kubePlan = await dryRunKubernetesPlan(loaded, provider, state, cloudPlan, opts, signal);
    return { phases: [{ name: "cloud", plan: cloudPlan }, { name: "kubernetes", plan: kubePlan }], state, outputsWritten: false };
  }

  return withStateLock(
    backend,
    "deploy",
    async (session) => {
      const phases: PhaseReport[] = [];
      const saved = opts.planFile ? readSavedPlan(await readPlanFile(opts.planFile), opts.planFile) : undefined;
      if (saved) checkSavedPlan(saved, stampOf(session.state), loaded.hash);
      await ensureState(session, loaded);
      await preflight({ files: filesWritten(opts), provider, config, env: opts.env, signal: session.signal });
      const cloud = await cloudPhase(loaded, provider, session.state, opts.env);
      const phaseOpts = { allowReplace: opts.allowReplace, adoptExisting: opts.adoptExisting, parallelism: opts.parallelism, rollbackOnFailure: opts.rollbackOnFailure, signal: session.signal, log: opts.log, onEvent: opts.onEvent };

      const cloudPlan = saved?.plan ?? (await planPhase(cloud, session.state, phaseOpts));
      phases.push({ name: "cloud", plan: cloudPlan, result: await applyPhase(cloud, cloudPlan, session, phaseOpts) });
      failIfIncomplete(phases);

      const { spec: kubernetes } = await kubernetesPhase(loaded, provider, session.state, opts.env, { forceConflicts: opts.forceConflicts, waitForWorkloads: opts.waitForWorkloads });
      const kubePlan = await planPhase(kubernetes, session.state, phaseOpts);
      phases.push({ name: "kubernetes", plan: kubePlan, result: await applyPhase(kubernetes, kubePlan, session, phaseOpts) });
      failIfIncomplete(phases);

      await writeOutputs(loaded, provider, session.state!, opts.paths, opts.env);
      const now = new Date().toISOString();
      const state = await session.update((s) => {
        s.metadata.configuration_hash = loaded.hash;
        s.metadata.last_successful_deploy = now;
        s.metadata.deploy_count += 1;
      });
      return { phases, state, outputsWritten: true };
    },
    { timeoutMs: opts.lockTimeoutMs, log: opts.log },
  );
}

/** What a run writes besides the state: checked before the first change (preflight.ts), by a dry run too. */
function filesWritten(opts: DeployOptions): string[] {
  return [opts.paths.outputs, opts.paths.kubeconfig, ...(opts.planOut ? [opts.planOut] : [])];
}

async function readPlanFile(path: string): Promise<string> {
  try {
    return await Bun.file(path).text();
  } catch (err) {
    throw new NicError("INPUT_INVALID", `Cannot read the saved plan ${path}: ${(err as Error).message}`, {
      details: { path },
      recovery: ["Pass a file written by `nic deploy --plan-out FILE`."],
    });
  }
}

/** What a saved plan is checked against; a deployment without state yet has an empty stamp. */
function stampOf(state: State | undefined) {
  return { lineage: state?.lineage ?? "", serial: state?.serial ?? 0 };
}

/** A new deployment gets its state (and its lineage) before the first cloud call, so the journal has a home. */
async function ensureState(session: StateSession, loaded: LoadedConfig) {
  const { config } = loaded;
  if (session.state) return checkOwnership(session.state, loaded);
  const region = config.amazon_web_services?.region ?? config.google_cloud_platform?.region ?? config.azure?.region ?? "";
  await session.save(newState({ provider: config.provider, projectName: config.project_name, region }));
}

/** A dry run reaches the cluster only if it exists and stays; otherwise every stage-03 object is planned as a create. */
async function dryRunKubernetesPlan(loaded: LoadedConfig, provider: DeployProvider, state: State | undefined, cloudPlan: Plan, opts: DeployOptions, signal: AbortSignal): Promise<Plan> {
  const clusterChanges = cloudPlan.entries.some((e) => e.kind.endsWith("_cluster") && e.action !== "no-op");
  if (!clusterChanges) {
    const { spec } = await kubernetesPhase(loaded, provider, state, opts.env, { forceConflicts: opts.forceConflicts });
    return planPhase(spec, state, { allowReplace: opts.allowReplace, signal });
  }
  const desired = await kubernetesDesired(loaded, undefined, provider.kubernetesExtras?.(loaded.config, actualFrom(state)) ?? []);
  return plan(desired, new Map(), { resources: trackedFrom(state, "k8s/") }, { allowReplace: opts.allowReplace });
}

function failIfIncomplete(phases: PhaseReport[]) {
  const last = phases[phases.length - 1]!;
  if (last.result?.success) return;
  const failed = last.result?.failed ?? [];
  const conflict = failed.some((f) => (f.cause as Error | undefined)?.name === "FieldConflictError");
  // Resource kinds attach their own recovery hints to the errors they raise.
  const hints = failed.flatMap((f) => ((f.cause as { recovery?: unknown } | undefined)?.recovery as string[] | undefined) ?? []);
  hints.push(...permissionHints(failed.map((f) => f.cause)));
  throw new NicError(conflict ? "KUBERNETES_CONFLICT" : "DEPLOY_FAILED", `The ${last.name} phase did not finish: ${failed.map((f) => `${f.address}: ${f.error}`).join("; ") || "stopped"}`, {
    details: {
      phase: last.name,
      done: last.result?.done.map((d) => ({ address: d.address, operation: d.operation })),
      failed: failed.map((f) => ({ address: f.address, operation: f.operation, error: f.error, ...refusalOf(f.cause) })),
      skipped: last.result?.skipped,
    },
    recovery: [
      ...new Set(hints),
      "Everything that finished is recorded in the state; fix the cause and run `nic deploy` again to continue.",
    ],
  });
}
