// What citty leaves to us: global flags anywhere on the line, and strictness (citty accepts unknown flags silently).
import type { ArgsDef } from "citty";
import { GLOBAL_ARGS } from "./global-args.ts";
import { NicError } from "./errors.ts";
import type { Format, Level } from "./log.ts";
import { closest } from "./suggest.ts";

export interface Globals {
  format: Format;
  logLevel: Level;
  color: boolean;
  help: boolean;
}

/** Takes the global flags out of argv wherever they stand (before `--`), so `nic --format json version` works. */
export function splitGlobals(argv: string[]): { globals: Globals; rest: string[] } {
  const globals: Globals = { format: sniffFormat(argv), logLevel: "info", color: true, help: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const [flag, inline] = splitEquals(arg);
    if (flag === "--help" || flag === "-h") globals.help = true;
    else if (flag === "--no-color") globals.color = false;
    else if (flag === "--color") globals.color = true;
    else if (flag === "--format" || flag === "--log-level") {
      const value = inline ?? argv[++i];
      const name = flag.slice(2) as "format" | "log-level";
      const allowed = GLOBAL_ARGS[name].options as readonly string[];
      if (value === undefined || !allowed.includes(value)) {
        throw new NicError("INPUT_INVALID", `Flag ${flag} must be one of ${allowed.join(", ")}; got ${value === undefined ? "nothing" : `"${value}"`}`, {
          details: { flag: name, value, allowed },
        });
      }
      if (name === "format") globals.format = value as Format;
      else globals.logLevel = value as Level;
    } else rest.push(arg);
  }
  return { globals, rest };
}

/** The raw --format, read before anything can fail, so that even a flag error is reported in the format asked for. */
export function sniffFormat(argv: string[]): Format {
  for (let i = 0; i < argv.length && argv[i] !== "--"; i++) if (argv[i] === "--format=json" || (argv[i] === "--format" && argv[i + 1] === "json")) return "json";
  return "text";
}

/** Rejects flags the command does not define (with "did you mean"), missing values, bad booleans and repeated flags. */
export function checkFlags(rawArgs: string[], args: ArgsDef): void {
  const byName = new Map<string, string>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    byName.set(name, name);
    for (const alias of [(def as { alias?: string | string[] }).alias ?? []].flat()) byName.set(alias, name);
    if (def.type === "boolean") byName.set(`no-${name}`, name);
  }
  const seen = new Set<string>();
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-") continue;
    const [flag, inline] = splitEquals(arg);
    const word = flag.replace(/^--?/, "");
    const name = byName.get(word);
    if (!name) {
      const guess = closest(word, [...byName.keys()].filter((k) => k.length > 1 && !k.startsWith("no-")));
      throw new NicError("INPUT_INVALID", `Unknown flag ${flag}`, {
        details: { flag },
        recovery: [guess ? `Did you mean --${guess}?` : "Run the command with --help to list its flags."],
      });
    }
    const def = args[name]!;
    if (seen.has(name)) throw new NicError("INPUT_INVALID", `Flag --${name} is given more than once`, { details: { flag: name } });
    seen.add(name);
    if (def.type === "boolean") {
      if (inline !== undefined && inline !== "true" && inline !== "false") {
        throw new NicError("INPUT_INVALID", `Flag --${name} takes no value (or true/false), got "${inline}"`, { details: { flag: name } });
      }
      continue;
    }
    const value = inline ?? rawArgs[i + 1];
    if (inline === undefined) i++;
    if (value === undefined || value === "" || /^--?[A-Za-z]/.test(value)) {
      throw new NicError("INPUT_INVALID", `Flag --${name} needs a value${def.valueHint ? ` (${def.valueHint})` : ""}`, { details: { flag: name } });
    }
    if (def.type === "enum" && def.options && !def.options.includes(value)) {
      throw new NicError("INPUT_INVALID", `Flag --${name} must be one of ${def.options.join(", ")}; got "${value}"`, { details: { flag: name, value, allowed: def.options } });
    }
  }
}

function splitEquals(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return arg.startsWith("-") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}
