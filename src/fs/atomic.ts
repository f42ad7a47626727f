// Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync the folder. Mode 0600.
// A crash at any point leaves either the old or the new content, never a mix.
import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeFolder } from "./folder.ts";

export async function replaceFile(target: string, text: string): Promise<void> {
  await makeFolder(dirname(target));
  const temp = tempName(target);
  try {
    await writeSynced(temp, text);
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  await syncFolder(dirname(target));
}

/** A temp file beside `target`, named so a later run can tell it belonged to a crashed write (`.<name>.<pid>.<hex>.tmp`). */
export function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Creates `path` (it must not exist), writes it and flushes it to disk. */
export async function writeSynced(path: string, text: string): Promise<void> {
  const file = await open(path, "wx", 0o600);
  try {
    await file.writeFile(text, "utf8");
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Makes the rename durable. Some platforms (Windows) cannot open a folder; there the rename is as durable as the OS makes it. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close();
  }
}
