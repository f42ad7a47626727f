import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";

const meta: NicMeta = {
  name: "validate",
  description: "Validate a nebari-config.yaml and summarise what NIC would build",
  examples: ["nic validate -f nebari-config.yaml", "nic validate -f nebari-config.yaml --strict --format json"],
};

export default defineCommand({
  meta,
  args: {
    config: { type: "string", alias: ["f", "file"], description: "Path of nebari-config.yaml", valueHint: "FILE", default: "nebari-config.yaml" },
    strict: { type: "boolean", description: "Treat every unknown top-level key as an error, as Nebari does" },
  },
  run: ({ data }) => run(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { loadConfig } = await import("../src/config/load.ts");
  const { summarize, renderSummary } = await import("../src/config/summary.ts");
  const started = performance.now();
  const loaded = loadConfig(ctx.flags.config as string, { strict: Boolean(ctx.flags.strict), env: ctx.env });
  ctx.log.debug("configuration loaded", { file: loaded.file, ms: Math.round(performance.now() - started), warnings: loaded.warnings.length });
  const summary = summarize(loaded);
  return { document: { success: true, valid: true, ...summary }, text: renderSummary(summary) };
}
