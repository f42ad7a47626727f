import type { TaskContext, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";

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
