import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { requireState } = await import("../src/state/store.ts");
  const { serializeState } = await import("../src/state/format.ts");
  const backend = await openStateFromFlags(ctx);
  const { state } = await requireState(backend);
  return { document: { success: true, location: backend.location, state }, text: serializeState(state) };
}
