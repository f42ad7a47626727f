// The CLI shell: find the command, parse flags, run the task, print exactly one result document, set the exit code.
import { parseArgs, sniffFormat } from "./args.ts";
import { findCommand, COMMANDS } from "./commands.ts";
import { asNicError, errorDocument, ExitCode, NicError } from "./errors.ts";
import { commandHelp, topLevelHelp } from "./help.ts";
import { createLogger, type Format, type Level } from "./log.ts";
import { toJson, writeStdout } from "./output.ts";
import { closest } from "./suggest.ts";

export async function main(argv: string[]): Promise<number> {
  let format: Format = sniffFormat(argv);
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      await writeStdout(topLevelHelp());
      return ExitCode.Success;
    }
    if (argv[0] === "--version") argv = ["version", ...argv.slice(1)];
    const found = findCommand(argv);
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
    if (!found && group.length) {
      throw new NicError("INPUT_INVALID", argv[1] ? `Unknown command "${argv[0]} ${argv[1]}"` : `"nic ${argv[0]}" needs a subcommand`, {
        details: { command: argv.slice(0, 2).join(" ") },
        recovery: [`Use one of: ${group.map((c) => `nic ${c.name}`).join(", ")}.`],
      });
    }
    if (!found) {
      const guess = closest(argv[0]!, COMMANDS.map((c) => c.name.split(" ")[0]!));
      throw new NicError("INPUT_INVALID", `Unknown command "${argv[0]}"`, {
        details: { command: argv[0] },
        recovery: [guess ? `Did you mean \`nic ${guess}\`?` : "Run `nic --help` to list the commands."],
      });
    }
    const task = await found.entry.load();
    const { flags, positionals } = parseArgs(found.rest, task.meta.flags);
    format = flags.format as Format;
    if (!flags.help && positionals.length > (task.meta.positionals ?? 0)) {
      throw new NicError("INPUT_INVALID", `Unexpected argument${positionals.length > 1 ? "s" : ""}: ${positionals.join(" ")}`, {
        details: { arguments: positionals },
        recovery: [`Usage: ${task.meta.usage}`],
      });
    }
    if (flags.help) {
      await writeStdout(commandHelp(task.meta));
      return ExitCode.Success;
    }
    const log = createLogger({ format, level: flags["log-level"] as Level });
    const result = await task.run({ flags, positionals, format, log, env: process.env, cwd: process.cwd() });
    log.endProgress();
    await writeStdout(format === "json" ? toJson(result.document) : result.text);
    return result.exitCode ?? (result.document.success ? ExitCode.Success : ExitCode.Failed);
  } catch (thrown) {
    const err = asNicError(thrown);
    if (format === "json") await writeStdout(toJson(errorDocument(err)));
    else process.stderr.write(renderErrorText(err));
    return err.exitCode;
  }
}

function renderErrorText(err: NicError): string {
  const lines = [`error[${err.code}]: ${err.message}`];
  const problems = err.details.errors;
  if (Array.isArray(problems)) for (const p of problems) lines.push(`  - ${(p as { text?: string }).text ?? JSON.stringify(p)}`);
  for (const hint of err.recovery) lines.push(`  hint: ${hint}`);
  return `${lines.join("\n")}\n`;
}
