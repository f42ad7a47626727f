// Writing to stdout safely. Plain write(2) calls from the start of the buffer: Bun.write(Bun.stdout) fallocates the file
// first, which on a stdout opened O_APPEND (`nic state pull >> f`, every GNU make recipe) leaves a run of NUL bytes.
// A pipe whose reader is slow blocks us (or says EAGAIN, when non-blocking) until it drains, so large documents arrive
// whole; we never process.exit() after writing (bun-lab §6.1). Plain fd writes also skip setting up process.stdout (~15 ms).

export async function writeStdout(text: string): Promise<void> {
  const { writeSync } = await import("node:fs");
  const bytes = Buffer.from(text.endsWith("\n") ? text : `${text}\n`);
  for (let written = 0; written < bytes.length; ) {
    try {
      written += writeSync(1, bytes, written, bytes.length - written);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") await Bun.sleep(1);
      else if (code === "EPIPE") return; // the reader went away (`nic … | head`): nothing more to say
      else throw err;
    }
  }
}

let stderrGuarded = false;

/**
 * Logs and error text go to stderr through its stream. If its reader went away (a closed pipe), they are dropped: EPIPE
 * must not turn the run's own exit code (130 for an interrupted deploy, 0 for a valid config) into 1.
 */
export function writeStderr(text: string): void {
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
  }
  process.stderr.write(text);
}

/** Help is a few KiB: console.log writes it with plain write(2) calls too (no fallocate, whole to a pipe, quiet on EPIPE). */
export function writeHelp(text: string): void {
  console.log(text.trimEnd());
}

export function toJson(document: unknown): string {
  return JSON.stringify(document, null, 2);
}
