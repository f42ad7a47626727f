// Whether a file descriptor is a terminal, without node:tty: importing it (or touching process.stdout) costs 15-30 ms
// of start-up in a compiled binary, more than the rest of `nic --help`. A terminal is a character device other than /dev/null.
import { fstatSync, statSync } from "node:fs";

export function isTerminal(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isCharacterDevice() && stat.rdev !== statSync("/dev/null").rdev;
  } catch {
    return false;
  }
}
