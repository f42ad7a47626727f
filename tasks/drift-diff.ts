import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";
import { INCLUDE_IGNORED_ARG } from "../src/drift/flags.ts";
import { STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "diff",
  description: "Show the exact differences between the state and the actual cloud and cluster",
  examples: ["nic drift diff -f nebari-config.yaml", "nic drift diff --format json"],
};

export default defineCommand({
  meta,
  args: {
    ...STATE_ARGS,
    ...INCLUDE_IGNORED_ARG,
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when there are differences (0 none, 1 error)" },
  },
  run: ({ data }) => run(data),
});

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
