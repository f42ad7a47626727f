// A small, strict flag parser: unknown flags and bad values are input errors with a "did you mean" hint.
import { NicError } from "./errors.ts";
import { closest } from "./suggest.ts";

export interface FlagSpec {
  type: "string" | "boolean";
  description: string;
  short?: string;
  aliases?: string[];
  choices?: readonly string[];
  default?: string | boolean;
  placeholder?: string;
}
export type FlagSpecs = Record<string, FlagSpec>;
export type Flags = Record<string, string | boolean | undefined>;

export const GLOBAL_FLAGS: FlagSpecs = {
  format: { type: "string", description: "Result and log format", choices: ["text", "json"], default: "text" },
  "log-level": { type: "string", description: "Lowest log level shown on stderr", choices: ["debug", "info", "warn", "error"], default: "info" },
  help: { type: "boolean", short: "h", description: "Show help for the command" },
};

export function parseArgs(argv: string[], specs: FlagSpecs): { flags: Flags; positionals: string[] } {
  const all = { ...GLOBAL_FLAGS, ...specs };
  const byName = new Map<string, string>();
  for (const [name, spec] of Object.entries(all)) {
    byName.set(`--${name}`, name);
    for (const alias of spec.aliases ?? []) byName.set(`--${alias}`, name);
    if (spec.short) byName.set(`-${spec.short}`, name);
  }

  const flags: Flags = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const token = eq > 0 ? arg.slice(0, eq) : arg;
    const name = byName.get(token);
    if (!name) {
      const guess = closest(token.replace(/^-+/, ""), Object.keys(all));
      throw new NicError("INPUT_INVALID", `Unknown flag ${token}`, {
        details: { flag: token },
        recovery: [guess ? `Did you mean --${guess}?` : "Run the command with --help to list its flags."],
      });
    }
    const spec = all[name]!;
    if (flags[name] !== undefined) throw new NicError("INPUT_INVALID", `Flag --${name} is given more than once`, { details: { flag: name } });
    if (spec.type === "boolean") {
      const raw = eq > 0 ? arg.slice(eq + 1) : "true";
      if (raw !== "true" && raw !== "false") throw new NicError("INPUT_INVALID", `Flag --${name} takes no value (or true/false), got "${raw}"`, { details: { flag: name } });
      flags[name] = raw === "true";
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !/^--?[A-Za-z]/.test(argv[i + 1]!)) value = argv[++i];
    if (value === undefined || value === "") {
      throw new NicError("INPUT_INVALID", `Flag --${name} needs a value${spec.placeholder ? ` (${spec.placeholder})` : ""}`, { details: { flag: name } });
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new NicError("INPUT_INVALID", `Flag --${name} must be one of ${spec.choices.join(", ")}; got "${value}"`, {
        details: { flag: name, value, allowed: spec.choices },
      });
    }
    flags[name] = value;
  }
  for (const [name, spec] of Object.entries(all)) if (flags[name] === undefined && spec.default !== undefined) flags[name] = spec.default;
  return { flags, positionals };
}

/** Reads the raw --format before full parsing, so that even a flag error is reported in the format the caller asked for. */
export function sniffFormat(argv: string[]): "text" | "json" {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--format" && argv[i + 1] === "json") return "json";
    if (argv[i] === "--format=json") return "json";
  }
  return "text";
}
