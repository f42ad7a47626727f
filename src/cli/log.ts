// The logging facade. Logs go to stderr only; stdout is reserved for the result document.
// Text mode prints human lines (coloured on a TTY unless NO_COLOR); json mode prints one object per line.

export type Format = "text" | "json";
export type Level = "debug" | "info" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

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

export function wantsColor(env: Record<string, string | undefined> = process.env): boolean {
  return !("NO_COLOR" in env) && Boolean(process.stderr.isTTY) && env.TERM !== "dumb";
}

export function createLogger(opts: LoggerOptions): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const threshold = RANK[opts.level ?? "info"];
  // Asked on first use: touching process.stderr sets up a stream (about 15 ms), which commands that log nothing never pay.
  const isTTY = () => opts.isTTY ?? Boolean(process.stderr.isTTY);
  let color: boolean | undefined = opts.color;
  let progressShown = false;

  const clearProgress = () => {
    if (progressShown) write("\r\x1b[2K");
    progressShown = false;
  };

  const emit = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < threshold) return;
    if (opts.format === "json") {
      write(`${JSON.stringify({ level, message, time: new Date().toISOString(), ...fields })}\n`);
      return;
    }
    clearProgress();
    color ??= wantsColor();
    const label = color ? `${PAINT[level]}${level}\x1b[0m` : level;
    const extra = fields && Object.keys(fields).length ? ` ${formatFields(fields)}` : "";
    write(`${label}: ${message}${extra}\n`);
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
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
