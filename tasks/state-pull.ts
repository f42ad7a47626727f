import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "pull",
  description: "Print the state document on stdout (migrated to the current format)",
  examples: ["nic state pull > backup.json", "nic state pull --format json | jq .state.serial"],
};

export default defineCommand({
  meta,
  args: STATE_ARGS,
  run: ({ data }) => run(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { requireState } = await import("../src/state/store.ts");
  const { serializeState } = await import("../src/state/format.ts");
  const backend = await openStateFromFlags(ctx);
  const { state } = await requireState(backend);
  return { document: { success: true, location: backend.location, state }, text: serializeState(state) };
}
