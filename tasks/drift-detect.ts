import type { TaskContext, TaskMeta, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";
import { INCLUDE_IGNORED_FLAG } from "../src/drift/flags.ts";
import { STATE_FLAGS } from "../src/state/cli.ts";

export const meta: TaskMeta = {
  name: "drift detect",
  summary: "Compare the state with the actual cloud and cluster (design document §6.5 report)",
  usage: "nic drift detect -f nebari-config.yaml [--state LOCATION] [--include-ignored] [--detailed-exitcode]",
  flags: {
    ...STATE_FLAGS,
    ...INCLUDE_IGNORED_FLAG,
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when there is drift (0 none, 1 error)" },
  },
  examples: ["nic drift detect -f nebari-config.yaml", "nic drift detect --format json --detailed-exitcode"],
};

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { detect, driftInputs } = await import("../src/drift/commands.ts");
  const { driftDocument, renderDetect } = await import("../src/drift/report.ts");
  const inputs = await driftInputs(ctx, "drift detect");
  const detection = await detect(ctx, inputs);
  const report = driftDocument(detection.phases);
  return {
    document: { success: true, ...report },
    text: renderDetect(report),
    exitCode: report.has_drift && ctx.flags["detailed-exitcode"] ? ExitCode.ChangesPresent : ExitCode.Success,
  };
}
