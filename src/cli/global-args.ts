// The flags every command takes, apart from the command tree: the CLI shell reads them before it loads anything else.
import type { ArgsDef } from "citty";

/** Flags every command takes, before or after the command's name. */
export const GLOBAL_ARGS = {
  format: { type: "enum", options: ["text", "json"], default: "text", description: "Result and log format" },
  "log-level": { type: "enum", options: ["debug", "info", "warn", "error"], default: "info", description: "Lowest log level shown on stderr" },
  color: { type: "boolean", default: true, description: "Colour on a terminal", negativeDescription: "No colour (as NO_COLOR=1 does)" },
  help: { type: "boolean", alias: ["h"], description: "Show help for the command" },
} satisfies ArgsDef;
