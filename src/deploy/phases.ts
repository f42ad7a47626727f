// What deploy, drift, destroy and import share besides the one graph (graph.ts): the provider, stage 02 alone, the
// cluster's connection from the state, and the ownership check.
import { NicError } from "../cli/errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { PhaseSpec } from "../deploy/phase.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { actualFrom } from "../deploy/tracked.ts";
import type { ClusterConnection } from "../kubernetes/client.ts";
import { providerByName } from "../providers/registry.ts";
import type { State } from "../state/format.ts";
import { keepFromState } from "../terraform/keep.ts";

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

/** Stage 02 alone, against the state as read (the provider may fill in what Nebari would ask the cloud, see prepare). */
export async function cloudPhase(loaded: LoadedConfig, provider: DeployProvider, state: State | undefined, env: Env): Promise<PhaseSpec> {
  const config = (await provider.prepare?.(loaded.config, state, env)) ?? loaded.config;
  return { name: "cloud", prefix: `${config.provider}/`, desired: keepFromState(provider.desired(config), state), kinds: provider.kinds(config, env), classify: provider.classify };
}

/** True when the state still records the cluster (stage 03 can only be read or changed through it). */
export function hasCluster(state: State | undefined): boolean {
  return Object.keys(state?.resources ?? {}).some((address) => /^[a-z0-9]+\/[a-z0-9_]*_cluster\//.test(address));
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
