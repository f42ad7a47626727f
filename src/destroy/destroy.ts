// `nic destroy`: LoadBalancer services out of the cluster, a sweep of what Kubernetes made in the cloud, then the engine
// deletes every tracked resource in reverse dependency order, saving state after each deletion. A rerun continues a
// crashed or failed run: what is gone is only removed from state.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import { applyPhase, planPhase } from "../deploy/phase.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { actualFrom, trackedFrom } from "../deploy/tracked.ts";
import { preflight } from "../deploy/preflight.ts";
import { messageOf, type ApplyEvent } from "../engine/apply.ts";
import { plan } from "../engine/plan.ts";
import type { Address } from "../engine/types.ts";
import type { StateBackend } from "../state/backend.ts";
import type { State } from "../state/format.ts";
import { withStateLock, type StateSession } from "../state/session.ts";
import { requireState } from "../state/store.ts";
import { checkOwnership, hasCluster, kubernetesConnection } from "../deploy/phases.ts";
import { KubeTransportError } from "../kubernetes/client.ts";
import { confirmDestroy, type Prompter } from "./confirm.ts";
import { deleteAppliedObjects } from "./kept-cluster.ts";
import { deleteLoadBalancerServices } from "./kubernetes.ts";
import { NO_SWEEP, type Teardown } from "./teardown.ts";

export interface DestroyOptions {
  dryRun: boolean;
  yes: boolean;
  /** Continue past failures (the result still fails and lists what is left). */
  force: boolean;
  prompter: Prompter;
  env: Env;
  log: Logger;
  lockTimeoutMs: number;
  parallelism?: number;
  /** How long to wait for load balancers, services and network interfaces to go. */
  waitMs?: number;
  onEvent?: (event: ApplyEvent) => void;
  /** Replaces the cloud SDKs' HTTP layer in the sweeps (recording or replaying a run); the provider's kinds take their own. */
  requestHandler?: unknown;
}

export interface DestroyReport {
  dryRun: boolean;
  /** What is swept before the teardown (it is not tracked, so it is found by type and tag). */
  sweeps: string[];
  /** The tracked resources deleted (or, in a dry run, to be deleted), in order: Kubernetes objects go with the cluster. */
  order: Array<{ address: Address; note?: string }>;
  deleted: Address[];
  /** Cloud objects NIC did not track, deleted by the sweeps (`type:id`), and Kubernetes services (`service:ns/name`). */
  swept: string[];
  unsupported: string[];
  state?: State;
}

/** Before the provider's own sweeps (DeployProvider.teardown), whatever the provider. */
const SERVICE_SWEEP = "every Kubernetes Service of type LoadBalancer in the cluster (waiting until they are gone)";

/** The teardown order from the state alone (no cloud call): the engine's plan with nothing desired. */
export function destroyOrder(state: State, keepsCluster = false): DestroyReport["order"] {
  const cloud = trackedFrom(state, `${state.provider}/`);
  const teardown = plan([], actualFrom(state), { resources: cloud });
  if (keepsCluster) {
    const kubernetes = plan([], actualFrom(state), { resources: trackedFrom(state, "k8s/") });
    return [...kubernetes.entries.map((e) => ({ address: e.address })), ...teardown.entries.map((e) => ({ address: e.address, note: "forgotten; the cluster stays" }))];
  }
  const kubernetes = trackedFrom(state, "k8s/").map((t) => ({ address: t.address, note: "goes with the cluster" }));
  return [...teardown.entries.map((e) => ({ address: e.address })), ...kubernetes];
}

export async function destroy(loaded: LoadedConfig, provider: DeployProvider, backend: StateBackend, opts: DestroyOptions): Promise<DestroyReport> {
  const { state } = await requireState(backend);
  checkOwnership(state, loaded);
  const keepsCluster = provider.keepsCluster?.(loaded.config, state) ?? false;
  const teardownOf = (current: State): Teardown => (keepsCluster ? undefined : provider.teardown?.(loaded.config, current, opts)) ?? NO_SWEEP;
  const sweeps = keepsCluster ? [] : [...(hasCluster(state) ? [SERVICE_SWEEP] : []), ...teardownOf(state).sweeps];
  const report: DestroyReport = { dryRun: opts.dryRun, sweeps, order: destroyOrder(state, keepsCluster), deleted: [], swept: [], unsupported: [], state };
  if (opts.dryRun) return report;
  // Before the confirmation and the first deletion: credentials that do not answer stop here, not halfway through.
  await preflight({ files: [], provider, config: loaded.config, env: opts.env, signal: new AbortController().signal });
  const resources = Object.values(state.resources);
  await confirmDestroy(
    { projectName: loaded.config.project_name, location: backend.location, resources: resources.length, importedFromTerraform: resources.filter((r) => r.imported_from_terraform).length },
    opts.yes,
    opts.prompter,
  );

  return withStateLock(
    backend,
    "destroy",
    async (session) => {
      const failures: Array<{ step: string; error: string }> = [];
      let tearingDown = false;
      const attempt = async (name: string, work: () => Promise<void>) => {
        try {
          await work();
        } catch (err) {
          failures.push({ step: name, error: messageOf(err) });
          opts.log.error(`${name} failed: ${messageOf(err)}`);
          if (!opts.force) throw incomplete(session, report, failures, tearingDown ? undefined : FORCE_HINT);
        }
      };
      await forgetKubernetesWithoutCluster(session);
      const teardown = teardownOf(session.state!);
      // Nothing is desired, so nothing needs preparing (cloudPhase would ask the cloud for zones).
      const { config } = loaded;
      const spec = { name: "cloud", prefix: `${config.provider}/`, desired: [], kinds: teardown.kinds(provider.kinds(config, opts.env)), classify: provider.classify };
      const phaseOpts = { signal: session.signal, log: opts.log, parallelism: opts.parallelism, onEvent: opts.onEvent };
      const teardownPlan = await planPhase(spec, session.state, phaseOpts).catch((err) => {
        failures.push({ step: "reading the cloud", error: messageOf(err) });
        throw incomplete(session, report, failures, READ_HINT);
      });

      const clusterLive = teardownPlan.entries.some((e) => e.kind.endsWith("_cluster") && e.actual);
      if (keepsCluster) {
        const result = await deleteAppliedObjects(loaded, provider, session, opts.env, phaseOpts).catch((err) => {
          failures.push({ step: "deleting the Kubernetes objects NIC applied", error: messageOf(err) });
          throw incomplete(session, report, failures);
        });
        report.deleted.push(...result.done.map((d) => d.address));
        for (const f of result.failed) failures.push({ step: `deleting ${f.address}`, error: f.error });
        // Even with --force: what is left stays tracked, with the cluster it lives in, so a rerun can finish.
        if (!result.success) throw incomplete(session, report, failures);
      } else if (clusterLive && hasCluster(session.state)) {
        await attempt("deleting LoadBalancer services", async () => {
          const connection = await kubernetesConnection(loaded, provider, session.state, opts.env);
          try {
            const services = await deleteLoadBalancerServices(connection, session.signal, opts.waitMs);
            report.swept.push(...services.map((s) => `service:${s}`));
          } catch (err) {
            // A cluster on its way out (a crashed destroy) no longer answers; its load balancers are swept by tag.
            if (!(err instanceof KubeTransportError)) throw err;
            opts.log.warn(`The cluster's API cannot be reached (${err.message}); its load balancers are swept by tag instead`);
          }
        });
      }
      const sweep = async (pass: "before" | "after") => {
        const r = await teardown[pass](session.signal);
        report.swept.push(...r.deleted);
        for (const u of r.unsupported) if (!report.unsupported.includes(u)) report.unsupported.push(u);
      };
      await attempt("sweeping load balancers, NAT gateways and Elastic IPs", () => sweep("before"));

      tearingDown = true;
      // A kept cluster is only forgotten (its kind's delete leaves it running): said so, never "Deleting".
      if (keepsCluster) for (const e of teardownPlan.entries) if (e.action === "delete") opts.log.info(`Forgetting ${e.address} (NIC never deletes a cluster it did not create)`);
      const result = await applyPhase(spec, teardownPlan, session, keepsCluster ? { ...phaseOpts, onEvent: undefined } : phaseOpts);
      report.deleted.push(...result.done.map((d) => d.address));
      for (const f of result.failed) failures.push({ step: `deleting ${f.address}`, error: f.error });
      await forgetKubernetesWithoutCluster(session);

      if (result.success || opts.force) await attempt("the last sweep", () => sweep("after"));
      await session.update((s) => void (s.pending_operations = s.pending_operations.filter((op) => op.address in s.resources)));
      report.state = session.state;
      if (failures.length || Object.keys(session.state!.resources).length) throw incomplete(session, report, failures);
      return report;
    },
    { timeoutMs: opts.lockTimeoutMs, log: opts.log },
  );
}

/** Stage 03's objects live in the cluster: once the state records no cluster, they are gone with it. */
async function forgetKubernetesWithoutCluster(session: StateSession): Promise<void> {
  const state = session.state;
  if (!state || hasCluster(state) || !Object.keys(state.resources).some((a) => a.startsWith("k8s/"))) return;
  await session.update((s) => {
    for (const address of Object.keys(s.resources)) if (address.startsWith("k8s/")) delete s.resources[address];
  });
}

const FORCE_HINT = "Nothing tracked was deleted yet. Rerun with --force to tear down anyway (load balancers left behind may block the VPC).";
const READ_HINT = "Nothing was deleted. Check the cloud credentials and permissions named in the error.";

function incomplete(session: StateSession, report: DestroyReport, failures: Array<{ step: string; error: string }>, hint?: string): NicError {
  const left = Object.keys(session.state?.resources ?? {});
  const what = failures.map((f) => `${f.step}: ${f.error}`).join("; ") || `${left.length} resources are left`;
  return new NicError("DESTROY_INCOMPLETE", `nic destroy did not finish: ${what}`, {
    details: { left, failed: failures, deleted: report.deleted, swept: report.swept, unsupported: report.unsupported },
    recovery: ["Everything deleted so far is recorded in the state; fix the cause and run `nic destroy` again to continue.", ...(hint ? [hint] : [])],
  });
}
