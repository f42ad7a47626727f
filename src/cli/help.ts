import { GLOBAL_FLAGS, type FlagSpecs } from "./args.ts";
import { COMMANDS } from "./commands.ts";
import type { TaskMeta } from "./task.ts";

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "nic - Nebari Infrastructure Core: Nebari stages 02 and 03 with native cloud SDKs",
    "",
    "Usage: nic <command> [flags]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Global flags:",
    ...flagLines(GLOBAL_FLAGS),
    "",
    "Run `nic <command> --help` for the flags of a command.",
  ].join("\n");
}

export function commandHelp(meta: TaskMeta): string {
  return [
    `nic ${meta.name} - ${meta.summary}`,
    "",
    `Usage: ${meta.usage}`,
    "",
    "Flags:",
    ...flagLines(meta.flags),
    ...flagLines(GLOBAL_FLAGS),
    ...(meta.examples?.length ? ["", "Examples:", ...meta.examples.map((e) => `  ${e}`)] : []),
  ].join("\n");
}

function flagLines(specs: FlagSpecs): string[] {
  return Object.entries(specs).map(([name, spec]) => {
    const names = [spec.short ? `-${spec.short}` : "", `--${name}`, ...(spec.aliases ?? []).map((a) => `--${a}`)].filter(Boolean).join(", ");
    const value = spec.type === "string" ? ` ${spec.placeholder ?? (spec.choices ? spec.choices.join("|") : "VALUE")}` : "";
    const def = spec.default !== undefined && spec.type === "string" ? ` (default ${spec.default})` : "";
    return `  ${`${names}${value}`.padEnd(36)} ${spec.description}${def}`;
  });
}
