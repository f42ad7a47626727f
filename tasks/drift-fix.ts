import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { driftInputs, showOn } = await import("../src/drift/commands.ts");
  const { fixDrift } = await import("../src/drift/fix.ts");
  const { terminalPrompter } = await import("../src/cli/confirm.ts");
  const { lockTimeoutMs } = await import("../src/state/cli.ts");
  const { applyDocument, planDocument, renderPlan } = await import("../src/engine/render.ts");
  const { createProgress, heartbeatMs } = await import("../src/cli/progress.ts");
  const inputs = await driftInputs(ctx, "drift fix");
  const show = showOn(ctx);
  const progress = createProgress(ctx.log, ctx.format, { heartbeatMs: heartbeatMs(ctx.env) });
  const report = await fixDrift(inputs.loaded, inputs.provider, inputs.backend, {
    env: ctx.env,
    log: ctx.log,
    yes: Boolean(ctx.flags.yes),
    prompter: terminalPrompter(ctx.format),
    lockTimeoutMs: lockTimeoutMs(ctx),
    allowReplace: Boolean(ctx.flags["allow-replace"]),
    forceConflicts: Boolean(ctx.flags["force-conflicts"]),
    show: (plans) => show(plans.map((p) => `== ${p.name} ==\n${renderPlan(p.plan)}`).join("\n\n")),
    onEvent: progress.onEvent,
  }).finally(progress.stop);
  const document = {
    success: true,
    changed: report.changed,
    phases: Object.fromEntries(report.phases.map((p) => [p.name, { plan: planDocument(p.plan), ...(p.result && { applied: applyDocument(p.result) }) }])),
    state: { location: inputs.backend.location, serial: report.state?.serial ?? null },
  };
  const text = report.changed ? `Fixed: the infrastructure matches the configuration again. State serial ${report.state?.serial}.` : "Nothing to fix: the infrastructure matches the configuration.";
  return { document, text };
}
