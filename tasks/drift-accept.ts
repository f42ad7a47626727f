import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { INCLUDE_IGNORED_ARG, YES_ARG } from "../src/drift/flags.ts";
import { LOCK_TIMEOUT_ARG, STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "accept",
  description: "Record the actual cloud and cluster in the state (state ← actual), after confirmation",
  examples: ["nic drift accept -f nebari-config.yaml", "nic drift accept -f nebari-config.yaml --yes"],
};

export default defineCommand({
  meta,
  args: { ...STATE_ARGS, ...INCLUDE_IGNORED_ARG, ...YES_ARG, ...LOCK_TIMEOUT_ARG },
  run: ({ data }) => run(data),
});

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
