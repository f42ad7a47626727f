// The command table. Only names, summaries and loaders live here, so `nic --help` imports no task.
import type { TaskModule } from "./task.ts";

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<TaskModule>;
}

export const COMMANDS: CommandEntry[] = [
  { name: "validate", summary: "Validate a nebari-config.yaml and summarise what NIC would build", load: () => import("../../tasks/validate.ts") },
  { name: "schema", summary: "Print the JSON Schema of the configuration sections NIC reads", load: () => import("../../tasks/schema.ts") },
  { name: "version", summary: "Print the version, commit and registered providers", load: () => import("../../tasks/version.ts") },
];

/** Finds the longest command name that prefixes argv (for two-word commands such as `state unlock`). */
export function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const entry = COMMANDS.find((c) => c.name === name);
    if (entry) return { entry, rest: argv.slice(words) };
  }
  return undefined;
}
