// The logger: consola, with reporters for NIC's three outputs. Logs go to stderr only; stdout is reserved for the result.
// json: one object per line ({level, message, time, ...fields}; Nebari parses it). text: "level: message k=v" lines,
// the level coloured when colour is on (a terminal, no NO_COLOR, no --no-color).
import { createConsola, type ConsolaReporter, type LogObject } from "consola/core";
import { isTerminal, wantsColor } from "./terminal.ts";
import { writeStderr } from "./output.ts";

export { wantsColor };

export type Format = "text" | "json";
export type Level = "debug" | "info" | "warn" | "error";
const CONSOLA_LEVEL: Record<Level, number> = { error: 0, warn: 1, info: 3, debug: 4 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A transient progress line: shown only on a TTY in text mode, never in pipes or JSON. */
  progress(message: string): void;
  /** Clears a progress line left on screen, before the result is printed. */
  endProgress(): void;
}

export interface LoggerOptions {
  format: Format;
  level?: Level;
  write?: (line: string) => void;
  isTTY?: boolean;
  color?: boolean;
}

const PAINT: Record<Level, string> = { debug: "\x1b[90m", info: "\x1b[36m", warn: "\x1b[33m", error: "\x1b[31m" };


export function createLogger(opts: LoggerOptions): Logger {
  const write = opts.write ?? writeStderr;
  // isatty, not process.stderr.isTTY: touching process.stderr sets up a stream (about 15 ms) that quiet commands never pay.
  const isTTY = () => opts.isTTY ?? isTerminal(2);
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) write("\r\x1b[2K");
    progressShown = false;
  };

  const reporter: ConsolaReporter = {
    log(entry: LogObject) {
      const [message, fields] = entry.args as [string, Record<string, unknown> | undefined];
      const level = entry.type as Level;
      if (opts.format === "json") {
        write(`${JSON.stringify({ level, message, time: entry.date.toISOString(), ...fields })}\n`);
        return;
      }
      clearProgress();
      const color = opts.color ?? wantsColor(process.env, isTTY());
      const label = color ? `${PAINT[level]}${level}\x1b[0m` : level;
      const extra = fields && Object.keys(fields).length ? ` ${formatFields(fields)}` : "";
      write(`${label}: ${message}${extra}\n`);
    },
  };
  // throttle 0: consola would otherwise fold repeated lines, and every JSON line is an event someone may count.
  const consola = createConsola({ level: CONSOLA_LEVEL[opts.level ?? "info"], reporters: [reporter], throttle: 0 });

  return {
    debug: (m, f) => consola.debug(m, f),
    info: (m, f) => consola.info(m, f),
    warn: (m, f) => consola.warn(m, f),
    error: (m, f) => consola.error(m, f),
    progress(message) {
      if (opts.format !== "text" || !isTTY()) return;
      write(`\r\x1b[2K${message}`);
      progressShown = true;
    },
    endProgress: clearProgress,
  };
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}
