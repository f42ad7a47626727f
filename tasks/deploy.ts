import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";
import { LOCK_TIMEOUT_ARG, STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "deploy",
  description: "Create or update the cloud infrastructure (stage 02) and Kubernetes init (stage 03)",
  examples: [
    "nic deploy -f nebari-config.yaml --dry-run",
    "nic deploy -f nebari-config.yaml --plan-out plan.json && nic deploy -f nebari-config.yaml --plan plan.json",
    "nic deploy -f nebari-config.yaml --state s3://my-bucket/nic-state.json?lock_table=locks --outputs outputs.json",
  ],
};

export default defineCommand({
  meta,
  args: {
    ...STATE_ARGS,
    outputs: { type: "string", alias: ["output-file"], description: "Where to write outputs.json (default: beside the state)", valueHint: "FILE" },
    kubeconfig: { type: "string", description: "Where to write the cluster's kubeconfig (default: beside outputs.json)", valueHint: "FILE" },
    "dry-run": { type: "boolean", description: "Print the plan and change nothing" },
    "plan-out": { type: "string", description: "Save the plan to FILE (implies --dry-run); apply it later with --plan", valueHint: "FILE" },
    plan: { type: "string", description: "Apply exactly the plan saved in FILE, refusing it if the state or the configuration changed since", valueHint: "FILE" },
    "detailed-exitcode": { type: "boolean", description: "With --dry-run: exit 2 when the plan has changes, 0 when none" },
    "allow-replace": { type: "boolean", description: "Allow replacing data-bearing or identity resources (VPC, EFS, EKS cluster)" },
    "force-conflicts": { type: "boolean", description: "Take over Kubernetes fields another field manager owns" },
    yes: { type: "boolean", alias: ["y", "auto-approve"], description: "Apply without asking (a terminal shows the plan and asks first; without one nothing asks)" },
    "adopt-existing": { type: "boolean", description: "Record cloud resources found by name that the state does not track (refused by default: another state may own them)" },
    wait: { type: "boolean", description: "Also wait until stage 03's Deployments are available (CRDs and namespaces are always waited for)" },
    "rollback-on-failure": { type: "boolean", description: "If the run fails, delete what this run created" },
    parallelism: { type: "string", description: "How many cloud operations run at once", valueHint: "N", default: "16" },
    ...LOCK_TIMEOUT_ARG,
  },
  run: ({ data }) => run(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { NicError } = await import("../src/cli/errors.ts");
  const parallelism = Number(ctx.flags.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 64) {
    throw new NicError("INPUT_INVALID", `--parallelism must be a whole number from 1 to 64; got "${ctx.flags.parallelism}"`, { details: { flag: "parallelism" } });
  }
  const dryRun = Boolean(ctx.flags["dry-run"] || ctx.flags["plan-out"]);
  if (ctx.flags.plan && dryRun) throw new NicError("INPUT_INVALID", "--plan applies a saved plan; it cannot be combined with --dry-run or --plan-out", { details: { flag: "plan" } });
  if (ctx.flags["detailed-exitcode"] && !dryRun) throw new NicError("INPUT_INVALID", "--detailed-exitcode needs --dry-run", { details: { flag: "detailed-exitcode" } });

  const { loadConfig } = await import("../src/config/load.ts");
  const { deploy, loadDeployProvider } = await import("../src/deploy/deploy.ts");
  const { outputPaths } = await import("../src/deploy/write-outputs.ts");
  const { renderDeploy, deployDocument } = await import("../src/deploy/render.ts");
  const { openStateFromFlags, lockTimeoutMs } = await import("../src/state/cli.ts");
  const { createProgress, heartbeatMs } = await import("../src/cli/progress.ts");

  const { resolve } = await import("node:path");
  const configPath = resolve(ctx.cwd, String(ctx.flags.config));
  const loaded = loadConfig(configPath, { env: ctx.env });
  for (const w of loaded.warnings) ctx.log.warn(w.text);
  const provider = await loadDeployProvider(loaded);
  const backend = await openStateFromFlags(ctx);
  const paths = outputPaths(configPath, { outputs: ctx.flags.outputs as string | undefined, kubeconfig: ctx.flags.kubeconfig as string | undefined, state: backend.location }, ctx.cwd);

  const options = (overrides: { dryRun: boolean; planOut?: string; planFile?: string }) => ({
    allowReplace: Boolean(ctx.flags["allow-replace"]),
    parallelism,
    rollbackOnFailure: Boolean(ctx.flags["rollback-on-failure"]),
    forceConflicts: Boolean(ctx.flags["force-conflicts"]),
    adoptExisting: Boolean(ctx.flags["adopt-existing"]),
    waitForWorkloads: Boolean(ctx.flags.wait),
    lockTimeoutMs: lockTimeoutMs(ctx),
    paths,
    env: ctx.env,
    log: ctx.log,
    ...overrides,
  });
  let planFile = ctx.flags.plan ? resolve(ctx.cwd, String(ctx.flags.plan)) : undefined;
  // On a terminal, as terraform apply: the plan first, then a question; the answer applies exactly that plan (saved to a file).
  const { confirmingOnTerminal, askToApply } = await import("../src/cli/confirm.ts");
  if (!dryRun && !planFile && !ctx.flags.yes && ctx.format === "text" && confirmingOnTerminal()) {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const saved = resolve(mkdtempSync(resolve(tmpdir(), "nic-plan-")), "plan.json");
    const preview = await deploy(loaded, provider, backend, options({ dryRun: true, planOut: saved }));
    if (deployDocument(loaded, preview, backend.location, paths, true).has_changes) {
      process.stderr.write(`${renderDeploy(preview, true)}\n\n`);
      await askToApply("Apply these changes?");
      planFile = saved;
    }
  }
  const progress = createProgress(ctx.log, ctx.format, { heartbeatMs: heartbeatMs(ctx.env) });
  const report = await deploy(loaded, provider, backend, {
    ...options({ dryRun, planOut: ctx.flags["plan-out"] ? resolve(ctx.cwd, String(ctx.flags["plan-out"])) : undefined, planFile }),
    onEvent: progress.onEvent,
  }).finally(progress.stop);
  const document = deployDocument(loaded, report, backend.location, paths, dryRun);
  return {
    document,
    text: renderDeploy(report, dryRun),
    exitCode: dryRun && ctx.flags["detailed-exitcode"] && document.has_changes ? ExitCode.ChangesPresent : ExitCode.Success,
  };
}
