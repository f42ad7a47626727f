// Writing to stdout safely: large documents must arrive whole through a pipe, so we wait for the write to flush
// and let the process end by itself (never process.exit() after a write; see bun-lab §6.1).

export function writeStdout(text: string): Promise<void> {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  return new Promise((resolve, reject) => {
    process.stdout.write(body, (err) => (err ? reject(err) : resolve()));
  });
}

export function toJson(document: unknown): string {
  return JSON.stringify(document, null, 2);
}
