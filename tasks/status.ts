import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "status",
  description: "Report the deployment's health from the state, the lock and live checks",
  examples: ["nic status", "nic status --format json --state .nebari/stages/02-infrastructure/nic-state.json"],
};

export default defineCommand({
  meta,
  args: {
    ...STATE_ARGS,
    offline: { type: "boolean", description: "Only read the state and the lock; skip the live checks against the cloud" },
  },
  run: ({ data }) => run(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { readState } = await import("../src/state/store.ts");
  const { buildStatus, runHealthChecks } = await import("../src/state/health.ts");
  const backend = await openStateFromFlags(ctx);
  const [parsed, lock] = await Promise.all([readState(backend), backend.describeLock()]);
  const live = parsed && !ctx.flags.offline ? await runHealthChecks(parsed.state, { signal: AbortSignal.timeout(60_000), env: ctx.env }) : [];
  const report = buildStatus(backend.location, parsed?.state, lock, live);

  const counts = Object.entries(report.resources).map(([kind, n]) => `${kind} ${n}`);
  const text = [
    `${report.healthy ? "healthy" : "NOT healthy"}: ${report.project_name ?? "no state"}${report.provider ? ` (${report.provider}${report.region ? `, ${report.region}` : ""})` : ""}`,
    `state      ${report.location}${report.serial !== null ? ` (serial ${report.serial})` : ""}`,
    `cluster    ${report.cluster ? `${report.cluster.name}${report.cluster.endpoint ? ` ${report.cluster.endpoint}` : ""}` : "none recorded"}`,
    `resources  ${counts.length ? counts.join(", ") : "none"}`,
    `last deploy ${report.last_deploy ?? "never"}`,
    ...report.issues.map((i) => `${i.severity}: ${i.message}`),
  ].join("\n");
  return { document: report as unknown as TaskResult["document"], text };
}
