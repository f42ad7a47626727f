import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { requireState } = await import("../src/state/store.ts");
  const { describeHolder } = await import("../src/state/lock.ts");
  const backend = await openStateFromFlags(ctx);
  const { state, migratedFrom } = await requireState(backend);
  const lock = await backend.describeLock();

  const width = Math.max(8, ...Object.keys(state.resources).map((a) => a.length));
  const text = [
    `state    ${backend.location}`,
    `         serial ${state.serial}, lineage ${state.lineage}${migratedFrom ? `, format ${migratedFrom} (migrated on the next locked write)` : ""}`,
    `project  ${state.project_name} (${state.provider}${state.region ? `, ${state.region}` : ""}), written by nic ${state.metadata.nic_version} at ${state.metadata.updated}`,
    `deploys  ${state.metadata.deploy_count}, last successful ${state.metadata.last_successful_deploy ?? "never"}`,
    `lock     ${lock ? `${lock.id}: ${describeHolder(lock)}` : "not locked"}`,
    `resources (${Object.keys(state.resources).length}):`,
    ...Object.entries(state.resources).map(([address, r]) => `  ${address.padEnd(width)}  ${r.provider_id}${r.imported_from_terraform ? "  (imported)" : ""}`),
    ...(state.pending_operations.length
      ? [`pending operations (${state.pending_operations.length}):`, ...state.pending_operations.map((op) => `  ${op.operation} ${op.address} since ${op.started_at}${op.unknown_reason ? ` (cut off: ${op.unknown_reason})` : ""}`)]
      : []),
  ].join("\n");
  return { document: { success: true, location: backend.location, ...(migratedFrom ? { migrated_from: migratedFrom } : {}), lock: lock ?? null, state }, text };
}
