// `nic destroy`: LoadBalancer services out of the cluster and a sweep of what Kubernetes made in the cloud, then one
// walk of the deployment's graph in reverse (graph.ts): Kubernetes objects before the cluster they run on, dependents
// before what they depend on, saving state after each deletion. A rerun continues a crashed or failed run: what is
// gone is only removed from state.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import { deploymentGraph, isKubernetes } from "../deploy/graph.ts";
import { applyPhase, reading } from "../deploy/phase.ts";
import { preflight } from "../deploy/preflight.ts";
import type { ClusterLinks, DeployProvider, Env } from "../deploy/provider.ts";
import { actualFrom, kindOf } from "../deploy/tracked.ts";
import { messageOf, type ApplyEvent } from "../engine/apply.ts";
import { observe } from "../engine/observe.ts";
import type { Address, ResourceKind } from "../engine/types.ts";
import type { StateBackend } from "../state/backend.ts";
import type { State } from "../state/format.ts";
import { withStateLock, type StateSession } from "../state/session.ts";
import { requireState } from "../state/store.ts";
import { checkOwnership, hasCluster, kubernetesConnection } from "../deploy/phases.ts";
import { KubeTransportError } from "../kubernetes/client.ts";
import { confirmDestroy, type Prompter } from "./confirm.ts";
import { goesWithCluster, teardownPlan, teardownTracked } from "./graph.ts";
import { recordJournaledCreates } from "./journaled.ts";
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
  /** Every tracked resource, in the order of deletion: the one graph in reverse, Kubernetes objects before their cluster. */
  order: Array<{ address: Address; note?: string }>;
  /** What this run deleted (objects that went with their cluster are only forgotten, and not listed). */
  deleted: Address[];
  /** Cloud objects NIC did not track, deleted by the sweeps (`type:id`), and Kubernetes services (`service:ns/name`). */
  swept: string[];
  unsupported: string[];
  state?: State;
}

/** Before the provider's own sweeps (DeployProvider.teardown), whatever the provider. */
const SERVICE_SWEEP = "every Kubernetes Service of type LoadBalancer in the cluster (waiting until they are gone)";

/** The teardown order from the state alone (no cloud call): the one graph in reverse. */
export function destroyOrder(state: State, keepsCluster = false, links: ClusterLinks = { api: [] }): DestroyReport["order"] {
  return teardownPlan(state, links, actualFrom(state)).entries.map((e) => {
    const note = keepsCluster ? (isKubernetes(e.address) ? undefined : "forgotten; the cluster stays") : isKubernetes(e.address) ? "goes with the cluster" : undefined;
    return { address: e.address, ...(note && { note }) };
  });
}

export async function destroy(loaded: LoadedConfig, provider: DeployProvider, backend: StateBackend, opts: DestroyOptions): Promise<DestroyReport> {
  const { state } = await requireState(backend);
  checkOwnership(state, loaded);
  const { config } = loaded;
  const links = provider.clusterLinks?.(config) ?? { api: [] };
  const keepsCluster = provider.keepsCluster?.(config, state) ?? false;
  const teardownOf = (current: State): Teardown => (keepsCluster ? undefined : provider.teardown?.(config, current, opts)) ?? NO_SWEEP;
  const sweeps = keepsCluster ? [] : [...(hasCluster(state) ? [SERVICE_SWEEP] : []), ...teardownOf(state).sweeps];
  const report: DestroyReport = { dryRun: opts.dryRun, sweeps, order: destroyOrder(state, keepsCluster, links), deleted: [], swept: [], unsupported: [], state };
  if (opts.dryRun) return report;
  // Before the confirmation and the first deletion: credentials that do not answer stop here, not halfway through.
  await preflight({ files: [], provider, config: loaded.config, env: opts.env, signal: new AbortController().signal });
  const resources = Object.values(state.resources);
  await confirmDestroy(
    { projectName: config.project_name, location: backend.location, resources: resources.length, importedFromTerraform: resources.filter((r) => r.imported_from_terraform).length },
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
      // Nothing is desired, so nothing needs preparing (the cloud would be asked for zones). A cluster that stays keeps
      // the objects NIC applied unless they are deleted one by one; one that goes takes them with it.
      const cloudKinds = teardown.kinds(provider.kinds(config, opts.env));
      const kubeKinds = keepsCluster ? (await deploymentGraph(loaded, provider, () => session.state, opts.env)).kubernetes.kinds : forgetting(session.state!);
      const phaseOpts = { signal: session.signal, log: opts.log, parallelism: opts.parallelism, onEvent: opts.onEvent };
      const graph = { name: "deployment", prefix: "", desired: [], kinds: [...cloudKinds, ...kubeKinds], classify: provider.classify };
      const read = async () => {
        if (!keepsCluster) await recordJournaledCreates(loaded, provider, session, cloudKinds, { env: opts.env, log: opts.log, signal: session.signal });
        return readTeardown(session.state!, links, cloudKinds, kubeKinds, session.signal);
      };
      const p = await read().catch((err) => {
        failures.push({ step: err instanceof NicError && err.details?.phase === "kubernetes" ? "reading the cluster" : "reading the cloud", error: messageOf(err) });
        throw incomplete(session, report, failures, READ_HINT);
      });

      const clusterLive = p.entries.some((e) => e.kind.endsWith("_cluster") && e.actual);
      if (!keepsCluster && clusterLive && hasCluster(session.state)) {
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
      // A kept cluster and what it runs on are only forgotten (their kinds' deletes leave them running): said so, never "Deleting".
      const forgotten = (address: Address) => keepsCluster && !isKubernetes(address);
      for (const e of p.entries) if (e.action === "delete" && forgotten(e.address)) opts.log.info(`Forgetting ${e.address} (NIC never deletes a cluster it did not create)`);
      const onEvent = opts.onEvent && ((e: ApplyEvent) => forgotten(e.address) || opts.onEvent!(e));
      // A failed Kubernetes deletion skips the cluster behind it (its edge), even with --force: it stays tracked with it.
      const result = await applyPhase(graph, p, session, { ...phaseOpts, onEvent });
      report.deleted.push(...result.done.map((d) => d.address).filter((a) => keepsCluster || !isKubernetes(a)));
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

/** Reads what is left of the cloud and, where the cluster stays, of its objects; plans the graph in reverse. */
async function readTeardown(state: State, links: ClusterLinks, cloudKinds: ResourceKind[], kubeKinds: ResourceKind[], signal: AbortSignal) {
  const tracked = teardownTracked(state, links);
  const part = (kubernetes: boolean) => tracked.filter((t) => isKubernetes(t.address) === kubernetes);
  const [cloud, kubernetes] = await Promise.all([
    reading("cloud", () => observe(cloudKinds, [], part(false), signal)),
    reading("kubernetes", () => observe(kubeKinds, [], part(true), signal)),
  ]);
  return teardownPlan(state, links, new Map([...cloud, ...kubernetes]));
}

/** The kinds of the Kubernetes objects the state records, each only forgotten (they go with the cluster). */
function forgetting(state: State): ResourceKind[] {
  const kinds = new Set(Object.keys(state.resources).filter(isKubernetes).map(kindOf));
  return [...kinds].map(goesWithCluster);
}

/** Stage 03's objects live in the cluster: once the state records no cluster, they are gone with it. */
async function forgetKubernetesWithoutCluster(session: StateSession): Promise<void> {
  const state = session.state;
  if (!state || hasCluster(state) || !Object.keys(state.resources).some(isKubernetes)) return;
  await session.update((s) => {
    for (const address of Object.keys(s.resources)) if (isKubernetes(address)) delete s.resources[address];
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
