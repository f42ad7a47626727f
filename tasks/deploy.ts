import type { TaskContext, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";
import { writeStderr } from "../src/cli/output.ts";

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
  if (!dryRun && !planFile && !ctx.flags.yes && confirmingOnTerminal(ctx.format)) {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const saved = resolve(mkdtempSync(resolve(tmpdir(), "nic-plan-")), "plan.json");
    const preview = await deploy(loaded, provider, backend, options({ dryRun: true, planOut: saved }));
    if (deployDocument(loaded, preview, backend.location, paths, true).has_changes) {
      const { paintPlan } = await import("../src/cli/paint.ts");
      const { wantsColor } = await import("../src/cli/log.ts");
      const plan = renderDeploy(preview, true);
      writeStderr(`${ctx.color !== false && wantsColor() ? paintPlan(plan) : plan}\n\n`);
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
