// The contract between the CLI shell and a command module in tasks/.
import type { ExitCode } from "./errors.ts";
import type { Flags, FlagSpecs } from "./args.ts";
import type { Format, Logger } from "./log.ts";

export interface TaskMeta {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpecs;
  /** How many positional arguments the command takes (default none); more is an input error, never silently ignored. */
  positionals?: number;
  examples?: string[];
}

export interface TaskContext {
  flags: Flags;
  positionals: string[];
  format: Format;
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

/** A task module: static metadata (cheap to import) and a run() that imports heavy code lazily. */
export interface TaskModule {
  meta: TaskMeta;
  run(ctx: TaskContext): Promise<TaskResult>;
}
