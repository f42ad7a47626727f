import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { loadConfig } = await import("../src/config/load.ts");
  const { loadProvider } = await import("../src/deploy/phases.ts");
  const { actualFrom } = await import("../src/deploy/tracked.ts");
  const { nicCommand } = await import("../src/deploy/write-outputs.ts");
  const { renderKubeconfig } = await import("../src/outputs/kubeconfig.ts");
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { requireState } = await import("../src/state/store.ts");
  const { replaceFile } = await import("../src/fs/atomic.ts");
  const { resolve } = await import("node:path");

  const loaded = loadConfig(String(ctx.flags.config), { env: ctx.env });
  const provider = await loadProvider(loaded, "kubeconfig");
  const { state } = await requireState(await openStateFromFlags(ctx));
  const cluster = provider.clusterOutputs(loaded.config, actualFrom(state));
  const path = ctx.flags.output ? resolve(ctx.cwd, String(ctx.flags.output)) : undefined;
  // A provider that writes the cluster's own kubeconfig (Azure: AKS's, with a client certificate) gives it; else an exec credential.
  const own = provider.outputs ? (await provider.outputs(loaded.config, actualFrom(state), { outputs: "", kubeconfig: path ?? "" }, ctx.env)).kubeconfig : undefined;
  const nic = nicCommand();
  const kubeconfig = own ?? renderKubeconfig(cluster.cluster, { command: nic.command, args: [...nic.args, ...provider.tokenArgs(loaded.config)] });
  if (path) {
    await replaceFile(path, kubeconfig);
    return { document: { success: true, path, context: cluster.cluster.name }, text: `Wrote the kubeconfig for ${cluster.cluster.name} to ${path}` };
  }
  return { document: { success: true, context: cluster.cluster.name, kubeconfig }, text: kubeconfig };
}
