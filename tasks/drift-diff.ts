import type { TaskContext, TaskMeta, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";
import { INCLUDE_IGNORED_FLAG } from "../src/drift/flags.ts";
import { STATE_FLAGS } from "../src/state/cli.ts";

export const meta: TaskMeta = {
  name: "drift diff",
  summary: "Show the exact differences between the state and the actual cloud and cluster",
  usage: "nic drift diff -f nebari-config.yaml [--state LOCATION] [--include-ignored] [--detailed-exitcode] [--format text|json]",
  flags: {
    ...STATE_FLAGS,
    ...INCLUDE_IGNORED_FLAG,
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when there are differences (0 none, 1 error)" },
  },
  examples: ["nic drift diff -f nebari-config.yaml", "nic drift diff --format json"],
};

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { detect, driftInputs } = await import("../src/drift/commands.ts");
  const { differences, renderDiff } = await import("../src/drift/report.ts");
  const inputs = await driftInputs(ctx, "drift diff");
  const detection = await detect(ctx, inputs);
  const { changed, removed, added } = differences(detection.phases);
  const hasDrift = detection.phases.some((p) => p.report.has_drift);
  return {
    document: { success: true, has_drift: hasDrift, differences: changed, removed, added },
    text: renderDiff(detection.phases),
    exitCode: hasDrift && ctx.flags["detailed-exitcode"] ? ExitCode.ChangesPresent : ExitCode.Success,
  };
}
