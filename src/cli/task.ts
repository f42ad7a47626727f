// The contract between the CLI shell and a command module in tasks/: commands.ts describes each command to citty (meta,
// args) and imports the module's run() only when it runs, handing it a TaskContext; heavy code is imported inside run().
import type { CommandMeta } from "citty";
import type { ExitCode } from "./errors.ts";
import type { Format, Logger } from "./log.ts";

/** citty's meta plus the examples `--help` and the man page print. */
export interface NicMeta extends CommandMeta {
  name: string;
  description: string;
  examples?: string[];
  /** Takes any number of arguments (after `--`), as the shells' completion callback does. */
  variadic?: boolean;
  /** The whole run is start-up (validate): it keeps the binary's start-up JIT policy (jit.ts); other commands get the normal JIT. */
  startupOnly?: boolean;
}

export type Flags = Record<string, string | boolean | undefined>;

export interface TaskContext {
  /** The parsed flags (citty's args), by their long names. */
  flags: Flags;
  positionals: string[];
  format: Format;
  /** false with --no-color; otherwise colour is used where wantsColor() says a terminal shows it. */
  color?: boolean;
  log: Logger;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface TaskResult {
  /** The result document printed on stdout in json mode. Always carries `success`. */
  document: { success: boolean } & Record<string, unknown>;
  /** The same result for people, printed on stdout in text mode. */
  text: string;
  exitCode?: ExitCode;
}

/** A task module: its run(), which the command tree and tests call (tests without the CLI shell around it). */
export interface TaskModule {
  run(ctx: TaskContext): Promise<TaskResult>;
}
