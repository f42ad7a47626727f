import { ExitCode } from "../src/cli/errors.ts";
import type { TaskContext, TaskResult } from "../src/cli/task.ts";

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
