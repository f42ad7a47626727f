// Before reading a path a user gave: only regular files of a sane size. Opening a FIFO for reading blocks until a writer
// appears, and a huge file keeps a parser busy for minutes; both must be refused up front, with a reason to show.
import { stat } from "node:fs/promises";

export type FileCheck = { ok: true } | { ok: false; missing: boolean; reason: string };

export async function checkRegularFile(path: string, maxBytes: number): Promise<FileCheck> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === "ENOENT" || code === "ENOTDIR", reason: code === "ENOENT" ? "does not exist" : `cannot be inspected (${code})` };
  }
  if (info.isDirectory()) return { ok: false, missing: false, reason: "is a directory, not a file" };
  if (!info.isFile()) return { ok: false, missing: false, reason: "is not a regular file (a FIFO, socket or device)" };
  if (info.size > maxBytes) return { ok: false, missing: false, reason: `is ${info.size} bytes; the limit is ${maxBytes}` };
  return { ok: true };
}
