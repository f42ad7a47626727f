import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";
import { INCLUDE_IGNORED_ARG } from "../src/drift/flags.ts";
import { STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "detect",
  description: "Compare the state with the actual cloud and cluster (design document §6.5 report)",
  examples: ["nic drift detect -f nebari-config.yaml", "nic drift detect --format json --detailed-exitcode"],
};

export default defineCommand({
  meta,
  args: {
    ...STATE_ARGS,
    ...INCLUDE_IGNORED_ARG,
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when there is drift (0 none, 1 error)" },
  },
  run: ({ data }) => run(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { detect, driftInputs } = await import("../src/drift/commands.ts");
  const { driftDocument, renderDetect } = await import("../src/drift/report.ts");
  const inputs = await driftInputs(ctx, "drift detect");
  const detection = await detect(ctx, inputs);
  const report = driftDocument(detection.phases, detection.configuration);
  return {
    document: { success: true, ...report },
    text: renderDetect(report),
    exitCode: report.has_drift && ctx.flags["detailed-exitcode"] ? ExitCode.ChangesPresent : ExitCode.Success,
  };
}
