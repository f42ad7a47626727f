import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { NicError } = await import("../src/cli/errors.ts");
  const parallelism = Number(ctx.flags.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 64) {
    throw new NicError("INPUT_INVALID", `--parallelism must be a whole number from 1 to 64; got "${ctx.flags.parallelism}"`, { details: { flag: "parallelism" } });
  }
  const { loadConfig } = await import("../src/config/load.ts");
  const { loadProvider } = await import("../src/deploy/phases.ts");
  const { destroy } = await import("../src/destroy/destroy.ts");
  const { terminalPrompter } = await import("../src/cli/confirm.ts");
  const { openStateFromFlags, lockTimeoutMs } = await import("../src/state/cli.ts");
  const { createProgress, heartbeatMs } = await import("../src/cli/progress.ts");

  const loaded = loadConfig(String(ctx.flags.config), { env: ctx.env });
  for (const w of loaded.warnings) ctx.log.warn(w.text);
  const provider = await loadProvider(loaded, "destroy");
  const backend = await openStateFromFlags(ctx);
  const dryRun = Boolean(ctx.flags["dry-run"]);
  const progress = createProgress(ctx.log, ctx.format, { heartbeatMs: heartbeatMs(ctx.env) });
  const report = await destroy(loaded, provider, backend, {
    dryRun,
    yes: Boolean(ctx.flags.yes),
    force: Boolean(ctx.flags.force),
    prompter: terminalPrompter(ctx.format),
    env: ctx.env,
    log: ctx.log,
    lockTimeoutMs: lockTimeoutMs(ctx),
    parallelism,
    onEvent: progress.onEvent,
  }).finally(progress.stop);
  const document = {
    success: true,
    dry_run: dryRun,
    sweeps: report.sweeps,
    order: report.order,
    deleted: report.deleted,
    swept: report.swept,
    unsupported_sweeps: report.unsupported,
    left: Object.keys(report.state?.resources ?? {}),
    state: { location: backend.location, serial: report.state?.serial ?? null },
  };
  const text = dryRun
    ? [...(report.sweeps.length ? ["First, would sweep:", ...report.sweeps.map((w) => `  - ${w}`), "Then would delete, in this order:"] : ["Would delete, in this order:"]), ...report.order.map((o, i) => `${String(i + 1).padStart(3)}. ${o.address}${o.note ? `  (${o.note})` : ""}`), "", "Dry run: nothing was deleted."].join("\n")
    : [`Destroyed: ${report.deleted.length} resources deleted, ${report.swept.length} leftovers swept.`, ...report.unsupported.map((u) => `Not swept (the endpoint has no such API): ${u}`)].join("\n");
  return { document, text };
}
