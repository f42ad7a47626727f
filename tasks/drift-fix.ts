import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { YES_ARG } from "../src/drift/flags.ts";
import { LOCK_TIMEOUT_ARG, STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "fix",
  description: "Make the cloud and cluster match the configuration again (actual ← desired), showing the plan first",
  examples: ["nic drift fix -f nebari-config.yaml", "nic drift fix -f nebari-config.yaml --yes --format json"],
};

export default defineCommand({
  meta,
  args: {
    ...STATE_ARGS,
    ...YES_ARG,
    "allow-replace": { type: "boolean", description: "Allow replacing data-bearing or identity resources (VPC, EFS, EKS cluster)" },
    "force-conflicts": { type: "boolean", description: "Take over Kubernetes fields another field manager owns" },
    ...LOCK_TIMEOUT_ARG,
  },
  run: ({ data }) => run(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { driftInputs, showOn } = await import("../src/drift/commands.ts");
  const { fixDrift } = await import("../src/drift/fix.ts");
  const { terminalPrompter } = await import("../src/destroy/confirm.ts");
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
    prompter: terminalPrompter(),
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
