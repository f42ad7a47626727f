import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { acceptUnderLock, driftInputs, showOn } = await import("../src/drift/commands.ts");
  const { differences } = await import("../src/drift/report.ts");
  const inputs = await driftInputs(ctx, "drift accept");
  const { detection, accepted, state } = await acceptUnderLock(ctx, inputs, showOn(ctx));
  const { changed, removed, added } = differences(detection.phases);
  const document = { success: true, accepted: accepted ?? null, differences: changed, removed, added, state: { location: inputs.backend.location, serial: state.serial } };
  if (!accepted) return { document, text: "No drift: the state already matches the actual infrastructure." };
  const lines = [
    `Accepted: ${accepted.updated.length} updated, ${accepted.forgotten.length} forgotten, ${accepted.recorded.length} recorded. State serial ${state.serial}.`,
    ...accepted.left.map((a) => `Left alone: ${a} (the configuration does not want it; delete it by hand or keep it outside NIC)`),
  ];
  return { document, text: lines.join("\n") };
}
