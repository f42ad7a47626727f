import { defineCommand } from "citty";
import { ExitCode } from "../src/cli/errors.ts";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";
import { STATE_ARGS } from "../src/cli/shared-args.ts";

const meta: NicMeta = {
  name: "status",
  description: "Report the deployment's health from the state, the lock and live checks",
  examples: ["nic status", "nic status --offline --detailed-exitcode   # exit 2 when not healthy", "nic status --format json --state .nebari/stages/02-infrastructure/nic-state.json"],
};

export default defineCommand({
  meta,
  args: {
    ...STATE_ARGS,
    offline: { type: "boolean", description: "Only read the state and the lock; skip the live checks against the cloud" },
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when the deployment is not healthy (0 healthy, 1 no report could be made)" },
  },
  run: ({ data }) => run(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { readState } = await import("../src/state/store.ts");
  const { buildStatus, runHealthChecks, configExpectation } = await import("../src/state/health.ts");
  const { resolve } = await import("node:path");
  const backend = await openStateFromFlags(ctx);
  const [parsed, lock] = await Promise.all([readState(backend), backend.describeLock()]);
  const live = parsed && !ctx.flags.offline ? await runHealthChecks(parsed.state, { signal: AbortSignal.timeout(60_000), env: ctx.env }) : [];
  const config = parsed ? await configExpectation(resolve(ctx.cwd, String(ctx.flags.config)), ctx.env) : undefined;
  const report = buildStatus(backend.location, parsed?.state, lock, live, config);

  const counts = Object.entries(report.resources).map(([kind, n]) => `${kind} ${n}`);
  const text = [
    `${report.healthy ? "healthy" : "NOT healthy"}: ${report.project_name ?? "no state"}${report.provider ? ` (${report.provider}${report.region ? `, ${report.region}` : ""})` : ""}`,
    `state      ${report.location}${report.serial !== null ? ` (serial ${report.serial})` : ""}`,
    `cluster    ${report.cluster ? `${report.cluster.name}${report.cluster.endpoint ? ` ${report.cluster.endpoint}` : ""}` : "none recorded"}`,
    `resources  ${counts.length ? counts.join(", ") : "none"}`,
    `last deploy ${report.last_deploy ?? "never"}`,
    ...report.issues.map((i) => `${i.severity}: ${i.message}`),
  ].join("\n");
  // Exit 0 for any report that could be made (Nebari parses it); 2 for "not healthy" only when asked, as Terraform's flag does.
  const exitCode = ctx.flags["detailed-exitcode"] && !report.healthy ? ExitCode.ChangesPresent : ExitCode.Success;
  return { document: report as unknown as TaskResult["document"], text, exitCode };
}
