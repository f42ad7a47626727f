// Writes outputs.json and the kubeconfig (both mode 0600, atomically) from what the state tracks.
import { dirname, join, resolve } from "node:path";
import type { LoadedConfig } from "../config/load.ts";
import { replaceFile } from "../fs/atomic.ts";
import { renderKubeconfig } from "../outputs/kubeconfig.ts";
import { buildOutputs } from "../outputs/outputs.ts";
import type { State } from "../state/format.ts";
import type { DeployProvider, Env } from "./provider.ts";
import { actualFrom } from "./tracked.ts";

export interface OutputPaths {
  outputs: string;
  kubeconfig: string;
}

const STAGE_DIR = ".nebari/stages/02-infrastructure";
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * As documented (and as Nebari's adapter relies on, design document §9.2): outputs.json goes where --outputs says, else beside
 * a local state (a remote state: the stage folder beside the config); the kubeconfig where --kubeconfig says, else beside
 * outputs.json. Flags are taken relative to the working folder; `state` is the backend's location.
 */
export function outputPaths(configPath: string, flags: { outputs?: string; kubeconfig?: string; state?: string }, cwd: string): OutputPaths {
  const besideState = flags.state && !REMOTE.test(flags.state) ? dirname(resolve(cwd, flags.state)) : join(dirname(resolve(cwd, configPath)), STAGE_DIR);
  const outputs = flags.outputs ? resolve(cwd, flags.outputs) : join(besideState, "outputs.json");
  return { outputs, kubeconfig: flags.kubeconfig ? resolve(cwd, flags.kubeconfig) : join(dirname(outputs), "kubeconfig") };
}

/** How kubectl should call NIC back for a token: the compiled binary itself, or bun with this script in development. */
export function nicCommand(): { command: string; args: string[] } {
  const script = process.argv[1];
  return script && /\.[cm]?[jt]s$/.test(script) && !script.startsWith("/$bunfs") ? { command: process.execPath, args: [resolve(script)] } : { command: process.execPath, args: [] };
}

export async function writeOutputs(loaded: LoadedConfig, provider: DeployProvider, state: State, paths: OutputPaths, env: Env) {
  const { config } = loaded;
  if (provider.outputs) {
    const own = await provider.outputs(config, actualFrom(state), paths, env);
    if (own.kubeconfig !== undefined) await replaceFile(paths.kubeconfig, own.kubeconfig);
    return replaceFile(paths.outputs, `${JSON.stringify(own.document, null, 2)}\n`);
  }
  const cluster = provider.clusterOutputs(config, actualFrom(state));
  const nic = nicCommand();
  await replaceFile(paths.kubeconfig, renderKubeconfig(cluster.cluster, { command: nic.command, args: [...nic.args, ...provider.tokenArgs(config)] }));
  const namespaces = Object.entries(state.resources)
    .filter(([address]) => address.startsWith("k8s/namespace/"))
    .map(([address]) => address.split("/").pop()!);
  const outputs = buildOutputs({ config, cluster, kubeconfigPath: paths.kubeconfig, token: await provider.token(config, env), namespaces });
  await replaceFile(paths.outputs, `${JSON.stringify(outputs, null, 2)}\n`);
}
