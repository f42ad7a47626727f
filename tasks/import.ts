import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { NicError } = await import("../src/cli/errors.ts");
  if (!ctx.flags["from-terraform"]) {
    throw new NicError("INPUT_INVALID", "nic import needs --from-terraform (Terraform is the only source NIC imports from)", { details: { flag: "from-terraform" }, recovery: ["Run `nic import --from-terraform -f nebari-config.yaml`."] });
  }
  const { loadConfig } = await import("../src/config/load.ts");
  const { loadProvider } = await import("../src/deploy/phases.ts");
  const { outputPaths } = await import("../src/deploy/write-outputs.ts");
  const { openStateFromFlags, lockTimeoutMs } = await import("../src/state/cli.ts");
  const { locateStates } = await import("../src/terraform/locate.ts");
  const { checkImport, writeImport } = await import("../src/terraform/import.ts");
  const { validationDocument, renderValidation } = await import("../src/terraform/report.ts");
  const { stage03Resources, kubernetesKinds, adoptImported } = await import("../src/kubernetes/index.ts");

  const { resolve } = await import("node:path");
  const configPath = resolve(ctx.cwd, String(ctx.flags.config));
  const loaded = loadConfig(configPath, { env: ctx.env });
  for (const w of loaded.warnings) ctx.log.warn(w.text);
  const { providerByName } = await import("../src/providers/registry.ts");
  const deployable = providerByName(loaded.config.provider)?.capabilities.includes("deploy");
  if (!deployable && !ctx.flags["validate-only"]) {
    throw new NicError("PROVIDER_UNSUPPORTED", `nic import can verify and adopt only providers NIC deploys; ${loaded.config.provider} is not one yet`, {
      details: { provider: loaded.config.provider },
      recovery: ["Run with --validate-only to see how the Terraform state maps to NIC and whether it matches the config.", "`nic version` lists what each provider supports."],
    });
  }
  const states = await locateStates(loaded.config, {
    stage02: ctx.flags["terraform-state-02"] as string | undefined,
    stage03: ctx.flags["terraform-state-03"] as string | undefined,
    configPath,
    cwd: ctx.cwd,
    env: ctx.env,
    log: ctx.log,
  });
  if (!deployable && ctx.flags["validate-only"]) {
    const { mappingDocument, renderMapping } = await import("../src/terraform/report.ts");
    const doc = mappingDocument(loaded.config, states.stage02, states.stage03);
    return { document: { success: true, validate_only: true, ...doc }, text: renderMapping(doc, loaded.config.provider) };
  }
  const provider = await loadProvider(loaded, "import");
  const inputs = {
    loaded,
    ...states,
    provider,
    kubernetes: {
      desired: (l: typeof loaded, cluster: { iam: { cluster_autoscaler_role_arn: string } }) =>
        stage03Resources(l.config, { clusterAutoscalerRoleArn: cluster.iam.cluster_autoscaler_role_arn, region: l.config.amazon_web_services?.region }),
      kinds: kubernetesKinds,
      adopt: adoptImported,
    },
    env: ctx.env,
    signal: new AbortController().signal,
    adoptConflicts: Boolean(ctx.flags["adopt-conflicts"]),
  };
  ctx.log.progress("verifying every resource live");
  const check = await checkImport(inputs);
  const report = validationDocument(loaded.config, check);
  const text = renderValidation(report);
  if (ctx.flags["validate-only"]) return { document: { success: true, validate_only: true, ...report }, text };

  const backend = await openStateFromFlags(ctx);
  const paths = outputPaths(configPath, { outputs: ctx.flags.outputs as string | undefined, kubeconfig: ctx.flags.kubeconfig as string | undefined, state: backend.location }, ctx.cwd);
  const state = await writeImport(inputs, check, backend, { paths, env: ctx.env, lockTimeoutMs: lockTimeoutMs(ctx), log: ctx.log, force: Boolean(ctx.flags.force) });
  const imported = Object.keys(state.resources).length;
  return {
    document: { success: true, validate_only: false, ...report, written: { state: backend.location, resources: imported, configuration_hash: state.metadata.configuration_hash, outputs: paths.outputs, kubeconfig: paths.kubeconfig } },
    text: `${text}\n\nImported ${imported} resources into ${backend.location} (all marked imported_from_terraform)\nOutputs: ${paths.outputs}\nKubeconfig: ${paths.kubeconfig}`,
  };
}
