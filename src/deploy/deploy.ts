// `nic deploy`: one observe → plan → apply over the one graph of stage 02 (the cloud) and stage 03 (Kubernetes) under
// the state lock, then outputs.json and the kubeconfig. A dry run plans the same graph against the state as read, without the lock.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { ApplyEvent, ApplyResult } from "../engine/apply.ts";
import { plan, type Plan } from "../engine/plan.ts";
import { checkSavedPlan, readSavedPlan, savePlan } from "../engine/saved-plan.ts";
import { checkBeforeChange } from "../providers/online.ts";
import { replaceFile } from "../fs/atomic.ts";
import type { StateBackend } from "../state/backend.ts";
import { newState, type State } from "../state/format.ts";
import { withStateLock, type StateSession } from "../state/session.ts";
import { timedOutCall } from "../net/deadlines.ts";
import { readState } from "../state/store.ts";
import { deploymentGraph, planGraph } from "./graph.ts";
import { applyPhase } from "./phase.ts";
import { preflight } from "./preflight.ts";
import { permissionHints, refusalOf } from "./denied.ts";
import { checkOwnership, loadProvider } from "./phases.ts";
import type { DeployProvider, Env } from "./provider.ts";
import { resultSection, sectionOf, sections, type Section } from "./sections.ts";
import { writeOutputs, type OutputPaths } from "./write-outputs.ts";
import { recordResource } from "./tracked.ts";

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
  /** With dryRun: save the plan here, to be applied later with planFile. */
  planOut?: string;
  /** Apply exactly this saved plan, refusing it if the state or the configuration moved on. */
  planFile?: string;
  env: Env;
  log: Logger;
  onEvent?: (event: ApplyEvent) => void;
}

/** A section of the one plan (`cloud`, `kubernetes`) and what the run did there. */
export type PhaseReport = Section;

export interface DeployReport {
  /** The one plan over both stages, and the run's result over it. */
  plan: Plan;
  result?: ApplyResult;
  /** The same, cut into the sections result documents keep. */
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
  const graphOpts = { forceConflicts: opts.forceConflicts, waitForWorkloads: opts.waitForWorkloads };
  provider.startSignIn?.(opts.env);

  if (opts.dryRun) {
    // The dry run refuses what the real run refuses: another project's state, resources another state owns.
    const state = (await readState(backend))?.state;
    if (state) checkOwnership(state, loaded);
    const checked = preflight({ files: filesWritten(opts), provider, config: loaded.config, env: opts.env, signal: new AbortController().signal });
    const p = await readWhile(checked, async () => {
      const graph = await deploymentGraph(loaded, provider, () => state, opts.env, graphOpts);
      return planGraph(graph, state, { allowReplace: opts.allowReplace, adoptExisting: opts.adoptExisting, signal: new AbortController().signal });
    });
    if (opts.planOut) await replaceFile(opts.planOut, savePlan(p, stampOf(state), loaded.hash));
    return { plan: p, phases: sections(p), state, outputsWritten: false };
  }

  return withStateLock(
    backend,
    "deploy",
    async (session) => {
      const saved = opts.planFile ? readSavedPlan(await readPlanFile(opts.planFile), opts.planFile) : undefined;
      if (saved) checkSavedPlan(saved, stampOf(session.state), loaded.hash);
      await ensureState(session, loaded);
      // A state with nothing in it creates the cloud whatever the read finds: its credentials and online checks go beside the
      // read. A redeploy asks them only once its plan changes something, so a deploy that changes nothing sends no extra call.
      const fresh = Object.keys(session.state!.resources).length === 0;
      const credentials = async () => void (await provider.checkCredentials?.(loaded.config, opts.env, session.signal));
      const checked = preflight({ files: filesWritten(opts), provider, config: loaded.config, env: opts.env, signal: session.signal, credentials: fresh });
      const phaseOpts = { allowReplace: opts.allowReplace, adoptExisting: opts.adoptExisting, waitForInFlight: true, parallelism: opts.parallelism, rollbackOnFailure: opts.rollbackOnFailure, signal: session.signal, log: opts.log, onEvent: opts.onEvent };
      const online = (changes: Plan) => checkBeforeChange(loaded, provider, changes, session.state, { env: opts.env, log: opts.log, signal: session.signal });
      const { graph, p } = await readWhile(
        checked,
        async () => {
          const graph = await deploymentGraph(loaded, provider, () => session.state, opts.env, graphOpts);
          const early = fresh ? online(plan(graph.cloud.desired, new Map(), { resources: [] })) : undefined;
          early?.catch(() => {}); // awaited below
          const p = saved?.plan ?? (await planGraph(graph, session.state, phaseOpts));
          const changes = p.entries.some((e) => e.action !== "no-op");
          await Promise.all([early ?? online(p), !fresh && changes ? credentials() : undefined]);
          return { graph, p };
        },
        fresh ? undefined : credentials,
      );
      if (graph.refreshed.size) {
        opts.log?.debug("The state's record of the cluster is out of date; recording it as found", { addresses: [...graph.refreshed.keys()] });
        await session.update((s) => {
          for (const [address, found] of graph.refreshed) recordResource(s, address, found, { dependsOn: s.resources[address]?.depends_on ?? [] });
        });
      }
      const result = await applyPhase(graph, p, session, phaseOpts);
      failIfIncomplete(result);

      await writeOutputs(loaded, provider, session.state!, opts.paths, opts.env);
      const now = new Date().toISOString();
      const state = await session.update((s) => {
        s.metadata.configuration_hash = loaded.hash;
        s.metadata.last_successful_deploy = now;
        s.metadata.deploy_count += 1;
      });
      return { plan: p, result, phases: sections(p, result), state, outputsWritten: true };
    },
    { timeoutMs: opts.lockTimeoutMs, log: opts.log },
  );
}

/**
 * The pre-flight checks run while the graph is read (a read changes nothing, and waiting for the credentials' answer
 * first cost a round trip on every run): nothing is applied before they pass, and theirs is the error reported when
 * both fail (bad credentials fail the read too).
 */
async function readWhile<T>(checked: Promise<void>, read: () => Promise<T>, checkOnFailure?: () => Promise<void>): Promise<T> {
  const reading = read().catch(async (err) => {
    await checked;
    await checkOnFailure?.(); // bad credentials fail the read too: theirs is the clearer error
    throw err;
  });
  const result = await Promise.race([reading, checked.then(() => reading)]);
  await checked;
  return result;
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

/** Both what was done and what failed, across the one graph: a rerun continues from the state. */
/** A call that did not answer in time: which, its deadline, and how many attempts it was given (as REQUEST_TIMEOUT's details). */
function timeoutOf(err: unknown): { call?: string; timeout_ms?: unknown; attempts?: unknown } {
  const call = timedOutCall(err);
  if (!call) return {};
  const { timeout_ms, attempts } = (err as NicError).details;
  return { call, timeout_ms, attempts };
}

function failIfIncomplete(result: ApplyResult) {
  if (result.success) return;
  const { failed } = result;
  const conflict = failed.some((f) => (f.cause as Error | undefined)?.name === "FieldConflictError");
  // Resource kinds attach their own recovery hints to the errors they raise.
  const hints = failed.flatMap((f) => ((f.cause as { recovery?: unknown } | undefined)?.recovery as string[] | undefined) ?? []);
  hints.push(...permissionHints(failed.map((f) => f.cause)));
  const where = [...new Set(failed.map((f) => sectionOf(f.address)))].join(" and ") || "deploy";
  const outcome = (o: ApplyResult) => ({
    done: o.done.map((d) => ({ address: d.address, operation: d.operation })),
    failed: o.failed.map((f) => ({ address: f.address, operation: f.operation, error: f.error, ...refusalOf(f.cause), ...timeoutOf(f.cause) })),
    skipped: o.skipped,
  });
  const cloud = outcome(resultSection(result, "cloud"));
  const kubernetes = outcome(resultSection(result, "kubernetes"));
  // Nothing failed but calls that did not answer in time: the error says so, naming the first (details.calls: all).
  const calls = [...new Set(failed.map((f) => timedOutCall(f.cause)).filter((c): c is string => Boolean(c)))];
  const timedOut = !conflict && calls.length > 0 && failed.every((f) => timedOutCall(f.cause));
  throw new NicError(conflict ? "KUBERNETES_CONFLICT" : timedOut ? "REQUEST_TIMEOUT" : "DEPLOY_FAILED", `The deploy did not finish (${where}): ${failed.map((f) => `${f.address}: ${f.error}`).join("; ") || "stopped"}`, {
    details: { phase: where, ...(timedOut && { ...timeoutOf(failed.find((f) => timedOutCall(f.cause) === calls[0])?.cause), calls }), ...outcome(result), cloud, kubernetes },
    recovery: [
      ...new Set(hints),
      "Everything that finished is recorded in the state; fix the cause and run `nic deploy` again to continue.",
    ],
  });
}
