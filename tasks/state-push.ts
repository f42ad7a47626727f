import { NicError } from "../src/cli/errors.ts";
import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { lockTimeoutMs, openStateFromFlags } = await import("../src/state/cli.ts");
  const { parseState } = await import("../src/state/migrate.ts");
  const { withStateLock } = await import("../src/state/session.ts");
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1) throw new NicError("INPUT_INVALID", "nic state push takes exactly one FILE (or - for stdin)", { details: { positionals: ctx.positionals } });
  const text = file === "-" ? await Bun.stdin.text() : await readFile(file);
  const { state } = parseState(text, file);
  const force = Boolean(ctx.flags.force);
  const backend = await openStateFromFlags(ctx);
  const written = await withStateLock(backend, "state push", (session) => session.save(state, { force }), { timeoutMs: lockTimeoutMs(ctx), log: ctx.log, skipRead: force });
  return {
    document: { success: true, location: backend.location, serial: written.serial, lineage: written.lineage, forced: force },
    text: `Pushed ${file} to ${backend.location} (serial ${written.serial}, lineage ${written.lineage})`,
  };
}

async function readFile(path: string): Promise<string> {
  const { checkRegularFile } = await import("../src/fs/regular-file.ts");
  const { MAX_STATE_BYTES } = await import("../src/state/backends/local.ts");
  const check = await checkRegularFile(path, MAX_STATE_BYTES);
  if (!check.ok) throw new NicError("INPUT_INVALID", `Cannot push ${path}: it ${check.reason}`, { details: { path }, recovery: ["Pass a state file written by `nic state pull`."] });
  try {
    return await Bun.file(path).text();
  } catch (err) {
    throw new NicError("INPUT_INVALID", `Cannot read ${path}: ${(err as Error).message}`, { details: { path } });
  }
}
