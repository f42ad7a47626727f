// Whether a file descriptor is a terminal, without node:tty: importing it (or touching process.stdout) costs 15-30 ms
// of start-up in a compiled binary, more than the rest of `nic --help`. A terminal is a character device other than /dev/null.
// node:fs itself is required on first use: loading it costs about 2 ms, which `nic --help` in a pipe never pays.

export function isTerminal(fd: number): boolean {
  const { fstatSync, statSync } = import.meta.require("node:fs") as typeof import("node:fs");
  try {
    const stat = fstatSync(fd);
    return stat.isCharacterDevice() && stat.rdev !== statSync("/dev/null").rdev;
  } catch {
    return false;
  }
}

/** Bun knows at start-up whether colour is possible: false when neither stdout nor stderr is a terminal (or NO_COLOR=1). */
export const colorPossible = (): boolean => Bun.enableANSIColors;

/** Colour per no-color.org: only a non-empty NO_COLOR turns it off; never on a non-terminal or a dumb one. */
export function wantsColor(env: Record<string, string | undefined> = process.env, isTTY = isTerminal(2)): boolean {
  return !env.NO_COLOR && isTTY && env.TERM !== "dumb";
}
