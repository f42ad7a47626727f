import type { TaskContext, TaskResult } from "../src/cli/task.ts";
import { ExitCode } from "../src/cli/errors.ts";

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
