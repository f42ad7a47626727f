// Finding and running a command: walk citty's tree, check the flags, run it, print exactly one result document, set
// the exit code; `nic help CMD` and `--help` show citty's usage plus our sections. Errors become one error document.
import { parseArgs, runCommand, type ArgsDef, type CommandDef } from "citty";
import { colorPossible, isTerminal } from "./terminal.ts";
import { checkFlags, type Globals } from "./argv.ts";
import { FAMILIAR, root } from "./commands.ts";
import { credentialsError } from "./credentials.ts";
import { asNicError, errorDocument, ExitCode, NicError } from "./errors.ts";
import { renderHelp } from "./help.ts";
import { normalJit } from "./jit.ts";
import { createLogger, wantsColor, type Logger } from "./log.ts";
import { toJson, writeHelp, writeStderr, writeStdout } from "./output.ts";
import { paintPlan } from "./paint.ts";
import { closest } from "./suggest.ts";
import type { NicMeta, TaskContext, TaskResult } from "./task.ts";

/** Runs the command `rest` names (global flags already taken out). */
export async function dispatch(globals: Globals, rest: string[]): Promise<number> {
  const { cmd, path, args } = await findCommand(rest);
  const color = globals.color && colorPossible() && wantsColor(process.env, isTerminal(1));
  const bare = args.length === 0 && typeof cmd.run !== "function"; // `nic`, `nic state`: a group without its command
  if (bare && !globals.help && globals.format === "json") {
    // stdout carries only result documents: a bare `nic --format json` is an input error, not help text.
    const names = Object.keys((await resolveValue(cmd.subCommands)) ?? {}).filter((n) => n !== "complete");
    const hint = path.length === 1 ? "Run `nic --help` to list the commands." : `Use one of: ${names.map((n) => `${path.join(" ")} ${n}`).join(", ")}.`;
    throw new NicError("INPUT_INVALID", "No command given", { recovery: [hint] });
  }
  if (globals.help || bare) {
    writeHelp(await renderHelp(cmd, path, color));
    return ExitCode.Success;
  }
  if (typeof cmd.run !== "function") throw needsSubcommand(cmd, path, args[0]!);

  const argsDef = ((await resolveValue(cmd.args)) ?? {}) as ArgsDef;
  checkFlags(args, argsDef);
  const parsed = parseArgs(args, argsDef);
  const positionals = parsed._ as string[];
  const allowed = Object.values(argsDef).filter((a) => a.type === "positional").length;
  const meta = (await resolveValue(cmd.meta)) as NicMeta | undefined;
  if (!meta?.startupOnly) normalJit();
  const variadic = meta?.variadic;
  if (positionals.length > allowed && !variadic) {
    throw new NicError("INPUT_INVALID", `Unexpected argument${positionals.length - allowed > 1 ? "s" : ""}: ${positionals.slice(allowed).join(" ")}`, {
      details: { arguments: positionals },
      recovery: [`Run \`${path.join(" ")} --help\` for its usage.`],
    });
  }
  const log = createLogger({ format: globals.format, level: globals.logLevel, color: globals.color ? undefined : false });
  routeWarnings(log);
  const ctx: TaskContext = { flags: parsed as TaskContext["flags"], positionals, format: globals.format, color: globals.color, log, env: process.env, cwd: process.cwd() };
  const { result } = (await runCommand(cmd, { rawArgs: args, data: ctx })) as { result: TaskResult };
  log.endProgress();
  const paint = globals.color && colorPossible() && wantsColor(process.env, isTerminal(1));
  await writeStdout(globals.format === "json" ? toJson(result.document) : paint ? paintPlan(result.text) : result.text);
  return result.exitCode ?? (result.document.success ? ExitCode.Success : ExitCode.Failed);
}

/** The error document (json) or text (stderr) for whatever was thrown; returns the exit code. */
export async function reportError(thrown: unknown, globals: Globals): Promise<number> {
  // citty's own argument errors (a missing positional) are input errors like ours.
  const err = (thrown as Error)?.name === "CLIError" ? new NicError("INPUT_INVALID", (thrown as Error).message.replace(/\x1b\[[0-9;]*m/g, "")) : (credentialsError(thrown) ?? asNicError(thrown));
  if (err.cause instanceof Error) {
    const log = createLogger({ format: globals.format, level: globals.logLevel, color: globals.color ? undefined : false });
    log.debug(`cause: ${err.cause.name}: ${err.cause.message}`, { stack: err.cause.stack?.split("\n").slice(1, 8).map((l) => l.trim()) });
  }
  if (globals.format === "json") await writeStdout(toJson(errorDocument(err)));
  else writeStderr(renderErrorText(err, globals.color && wantsColor()));
  return err.exitCode;
}

/**
 * Process warnings of libraries (gcp-metadata's MetadataLookupWarning while it looks for credentials, …) become debug
 * records: consola is the one logger, and a warning printed past it would land in the middle of NIC's own output.
 */
function routeWarnings(log: Logger): void {
  process.emitWarning = ((warning: string | Error, options?: string | { type?: string }) => {
    const type = typeof options === "string" ? options : (options?.type ?? (warning instanceof Error ? warning.name : "Warning"));
    log.debug(`${type}: ${warning instanceof Error ? warning.message : warning}`);
  }) as typeof process.emitWarning;
}

/** Walks the command words down citty's tree; unknown words get "did you mean" or the NIC name of a Terraform habit. */
async function findCommand(argv: string[]): Promise<{ cmd: CommandDef<any>; path: string[]; args: string[] }> {
  let cmd: CommandDef<any> = root;
  const path = ["nic"];
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    const subCommands = await resolveValue(cmd.subCommands);
    if (!subCommands || word.startsWith("-")) break;
    const sub = subCommands[word];
    if (!sub) {
      if (typeof cmd.run === "function") break; // a positional of a command that has both (nic kubeconfig)
      throw unknownCommand(word, path, Object.keys(subCommands));
    }
    cmd = await resolveValue(sub);
    path.push(word);
  }
  if (path.length === 1 && argv[0]?.startsWith("-")) {
    throw new NicError("INPUT_INVALID", `Unknown flag ${argv[0]} before the command`, {
      details: { flag: argv[0] },
      recovery: ["Only --format, --log-level, --no-color and --help may come before the command; put the others after it (`nic deploy -f nebari-config.yaml`)."],
    });
  }
  return { cmd, path, args: argv.slice(i) };
}

function unknownCommand(word: string, path: string[], names: string[]): NicError {
  const familiar = path.length === 1 ? FAMILIAR[word] : undefined;
  const guess = closest(word, names);
  return new NicError("INPUT_INVALID", `Unknown command "${[...path.slice(1), word].join(" ")}"`, {
    details: { command: [...path.slice(1), word].join(" ") },
    recovery: [
      familiar ? `NIC has no \`${word}\`; use \`${familiar}\`.` : guess ? `Did you mean \`${[...path, guess].join(" ")}\`?` : `Run \`${path.join(" ")} --help\` to list the commands.`,
    ],
  });
}

function needsSubcommand(cmd: CommandDef<any>, path: string[], word: string): NicError {
  const names = Object.keys((cmd.subCommands as Record<string, unknown>) ?? {});
  return new NicError("INPUT_INVALID", `Unexpected argument "${word}" for ${path.join(" ")}`, {
    details: { command: path.slice(1).join(" ") },
    recovery: [`Use one of: ${names.map((n) => `${path.join(" ")} ${n}`).join(", ")}.`],
  });
}

function renderErrorText(err: NicError, color: boolean): string {
  const label = color ? `\x1b[31merror[${err.code}]\x1b[0m` : `error[${err.code}]`;
  const lines = [`${label}: ${err.message}`];
  const problems = err.details.errors;
  if (Array.isArray(problems)) for (const p of problems) lines.push(`  - ${(p as { text?: string }).text ?? JSON.stringify(p)}`);
  const tried = err.details.tried;
  if (Array.isArray(tried)) for (const t of tried) lines.push(`  tried: ${typeof t === "string" ? t : JSON.stringify(t)}`);
  for (const hint of err.recovery) lines.push(`  hint: ${hint}`);
  return `${lines.join("\n")}\n`;
}

/** citty's Resolvable: a value, a promise, or a function giving either. */
async function resolveValue<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? (value as () => T | Promise<T>)() : value;
}
