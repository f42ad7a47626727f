import type { TaskContext, TaskResult } from "../src/cli/task.ts";
import type { LoadedConfig } from "../src/config/load.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { loadConfig } = await import("../src/config/load.ts");
  const { summarize, renderSummary } = await import("../src/config/summary.ts");
  const started = performance.now();
  const loaded = loadConfig(ctx.flags.config as string, { strict: Boolean(ctx.flags.strict), env: ctx.env });
  ctx.log.debug("configuration loaded", { file: loaded.file, ms: Math.round(performance.now() - started), warnings: loaded.warnings.length });
  if (ctx.flags.online) await checkOnline(loaded, ctx);
  const summary = summarize(loaded);
  return { document: { success: true, valid: true, ...summary }, text: renderSummary(summary) };
}

/** The cloud's answers join the file's own problems: errors fail validation, warnings join the summary. */
async function checkOnline(loaded: LoadedConfig, ctx: TaskContext) {
  const { onlineChecks } = await import("../src/providers/online.ts");
  const { NicError } = await import("../src/cli/errors.ts");
  const started = performance.now();
  const found = (await onlineChecks(loaded.config, ctx.env)).map((p) => loaded.problem(p.severity, p.path, p.message, { hint: p.hint }));
  ctx.log.debug("online checks done", { ms: Math.round(performance.now() - started), problems: found.length });
  const errors = found.filter((p) => p.severity === "error");
  loaded.warnings.push(...found.filter((p) => p.severity === "warning"));
  if (errors.length) {
    throw new NicError("CONFIG_INVALID", `${loaded.file} names what ${loaded.config.provider.toUpperCase()} does not offer (${errors.length} error${errors.length === 1 ? "" : "s"})`, {
      details: { file: loaded.file, errors, warnings: loaded.warnings },
      recovery: ["Fix each entry of details.errors (the hint says what the cloud offers), then run `nic validate --online` again."],
    });
  }
}
