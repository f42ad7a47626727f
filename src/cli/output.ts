// Writing to stdout safely: large documents must arrive whole through a pipe, so we wait for the write to finish
// and let the process end by itself (never process.exit() after a write; see bun-lab §6.1).
// Bun.write avoids setting up Node's process.stdout stream, which costs about 15 ms at start-up.

export async function writeStdout(text: string): Promise<void> {
  await Bun.write(Bun.stdout, text.endsWith("\n") ? text : `${text}\n`);
}

export function toJson(document: unknown): string {
  return JSON.stringify(document, null, 2);
}
