// Checks before the first change (deploy and its dry run, destroy, drift fix): a deploy that cannot finish writing what it promises (outputs.json, the kubeconfig,
// a saved plan) or whose credentials do not answer stops before any mutating call, not after forty-five of them.
// The state's own backend is proven writable by taking its lock and saving the state before the first cloud call.
import { constants } from "node:fs";
import { access, open, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { NicError } from "../cli/errors.ts";
import type { NebariConfig } from "../config/model.ts";
import { tempName } from "../fs/atomic.ts";
import type { DeployProvider, Env } from "./provider.ts";

export interface PreflightInputs {
  /** Files the run will write: outputs.json, the kubeconfig, --plan-out. */
  files: string[];
  provider: DeployProvider;
  config: NebariConfig;
  env: Env;
  signal: AbortSignal;
  /** false: the caller asks the credentials itself, later (a redeploy asks only when its plan changes something). */
  credentials?: boolean;
}

/** Every check, files first (no network). Throws PATH_NOT_WRITABLE or the provider's CREDENTIALS_INVALID. */
export async function preflight(inputs: PreflightInputs): Promise<void> {
  for (const file of new Set(inputs.files)) await checkWritable(file);
  if (inputs.credentials !== false) await inputs.provider.checkCredentials?.(inputs.config, inputs.env, inputs.signal);
}

/**
 * Writes and removes a temp file beside it, as the atomic write will; changes nothing else (a dry run checks too). A folder
 * not made yet needs its nearest existing ancestor to be a writable folder. An existing target must be a writable regular file.
 */
export async function checkWritable(file: string): Promise<void> {
  try {
    const existing = await statIfExists(file);
    if (existing && !existing.isFile()) throw Object.assign(new Error("it exists and is not a regular file"), { code: "EISDIR" });
    if (existing) await access(file, constants.W_OK);
    let folder = dirname(file);
    while (!(await statIfExists(folder)) && dirname(folder) !== folder) folder = dirname(folder);
    if (!(await statIfExists(folder))?.isDirectory()) throw Object.assign(new Error(`${folder} is not a folder`), { code: "ENOTDIR" });
    if (folder !== dirname(file)) return await access(folder, constants.W_OK | constants.X_OK);
    const probe = tempName(file);
    await (await open(probe, "wx", 0o600)).close();
    await unlink(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new NicError("PATH_NOT_WRITABLE", `NIC will write ${file}, but cannot: ${e.message}; nothing was changed`, {
      details: { path: file, reason: e.code ?? e.message },
      recovery: ["Make the folder writable (or free disk space), or choose another place with --outputs, --kubeconfig or --plan-out, then rerun."],
      cause: err,
    });
  }
}

async function statIfExists(path: string) {
  return stat(path).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? undefined : Promise.reject(err)));
}
