// The two reconcile phases (stage 02 in the cloud, stage 03 in the cluster), built once for deploy, drift, destroy and import,
// so drift reads exactly what a no-op deploy reads.
import { NicError } from "../cli/errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { PhaseSpec } from "../deploy/phase.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { actualFrom } from "../deploy/tracked.ts";
import type { Actual, Address, Resource } from "../engine/types.ts";
import type { ClusterConnection } from "../kubernetes/client.ts";
import type { ClusterOutputs } from "../outputs/types.ts";
import { providerByName } from "../providers/registry.ts";
import type { State } from "../state/format.ts";

/** The provider's deploy adapter; `command` names who asks, for the error when the provider has none yet. */
export async function loadProvider(loaded: LoadedConfig, command: string): Promise<DeployProvider> {
  const { provider } = loaded.config;
  const entry = providerByName(provider);
  if (!entry?.load || !entry.capabilities.includes("deploy")) {
    throw new NicError("PROVIDER_UNSUPPORTED", `nic ${command} does not support the ${provider} provider yet`, {
      details: { provider },
      recovery: ["`nic version` lists what each provider supports."],
    });
  }
  return entry.load();
}

/** Stage 02 against the state as read (the provider may fill in what Nebari would ask the cloud, see prepare). */
export async function cloudPhase(loaded: LoadedConfig, provider: DeployProvider, state: State | undefined, env: Env): Promise<PhaseSpec> {
  const config = (await provider.prepare?.(loaded.config, state, env)) ?? loaded.config;
  return { name: "cloud", prefix: `${config.provider}/`, desired: provider.desired(config), kinds: provider.kinds(config, env), classify: provider.classify };
}

export interface KubernetesPhase {
  spec: PhaseSpec;
  connection: ClusterConnection;
}

/** True when the state still records the cluster (stage 03 can only be read or changed through it). */
export function hasCluster(state: State | undefined): boolean {
  return Object.keys(state?.resources ?? {}).some((address) => /^[a-z0-9]+\/[a-z0-9_]*_cluster\//.test(address));
}

/** Stage 03 against the cluster the state records. */
export async function kubernetesPhase(loaded: LoadedConfig, provider: DeployProvider, state: State | undefined, env: Env, opts: { forceConflicts?: boolean; waitForWorkloads?: boolean } = {}): Promise<KubernetesPhase> {
  const { config } = loaded;
  const cluster = provider.clusterOutputs(config, actualFrom(state));
  const connection = await kubernetesConnection(loaded, provider, state, env);
  const { adoptImported, adoptedUids, kubernetesKinds, stage03Secrets } = await import("../kubernetes/index.ts");
  const imported = importedObjects(state);
  // Secret data (the external registry's keys) goes to the cluster only; state keeps its hash.
  const kinds = kubernetesKinds(connection, {
    forceConflicts: opts.forceConflicts ?? false,
    waitForWorkloads: opts.waitForWorkloads ?? false,
    secrets: stage03Secrets(config),
    adopted: adoptedUids(imported),
  });
  const extras = provider.kubernetesExtras?.(config, actualFrom(state)) ?? [];
  return { spec: { name: "kubernetes", prefix: "k8s/", desired: adoptImported(await kubernetesDesired(loaded, cluster, extras), imported), kinds }, connection };
}

/** The Kubernetes objects the state says were imported from Terraform, as recorded then. */
function importedObjects(state: State | undefined): Map<Address, Actual> {
  const actual = actualFrom(state);
  const imported = Object.entries(state?.resources ?? {}).filter(([address, r]) => address.startsWith("k8s/") && r.imported_from_terraform);
  return new Map(imported.map(([address]) => [address, actual.get(address)!]));
}

/** Stage 03's objects and the provider's `extras`; before the cluster exists the autoscaler's role ARN is not known yet. */
export async function kubernetesDesired(loaded: LoadedConfig, cluster?: ClusterOutputs, extras: Resource[] = []): Promise<Resource[]> {
  const { stage03Resources } = await import("../kubernetes/index.ts");
  const { config } = loaded;
  return [...stage03Resources(config, { clusterAutoscalerRoleArn: cluster?.iam.cluster_autoscaler_role_arn ?? "(known after the cluster exists)", region: config.amazon_web_services?.region }), ...extras];
}

export async function kubernetesConnection(loaded: LoadedConfig, provider: DeployProvider, state: State | undefined, env: Env): Promise<ClusterConnection> {
  const { config } = loaded;
  return provider.connection(config, provider.clusterOutputs(config, actualFrom(state)), env);
}

/** The state must be this configuration's deployment. */
export function checkOwnership(state: State, loaded: LoadedConfig): void {
  const { config } = loaded;
  if (state.project_name === config.project_name && state.provider === config.provider) return;
  throw new NicError("STATE_CONFLICT", `The state belongs to ${state.provider} project ${state.project_name}, not ${config.provider} project ${config.project_name}`, {
    recovery: ["Pass the state of this deployment with --state.", "project_name and provider cannot change after the first deploy (Nebari treats them as immutable)."],
  });
}
