import type { TaskContext, TaskMeta, TaskResult } from "../src/cli/task.ts";
import { STATE_FLAGS } from "../src/state/cli.ts";

export const meta: TaskMeta = {
  name: "state pull",
  summary: "Print the state document on stdout (migrated to the current format)",
  usage: "nic state pull [--state LOCATION | -f nebari-config.yaml] > nic-state.json",
  flags: STATE_FLAGS,
  examples: ["nic state pull > backup.json", "nic state pull --format json | jq .state.serial"],
};

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { requireState } = await import("../src/state/store.ts");
  const { serializeState } = await import("../src/state/format.ts");
  const backend = await openStateFromFlags(ctx);
  const { state } = await requireState(backend);
  return { document: { success: true, location: backend.location, state }, text: serializeState(state) };
}
