// Finding the two Terraform states: the locations given on the command line, else Nebari's own (discover.ts).
// Stage 02 is required; stage 03 is optional (a deployment that never got past stage 02 has none).
import { dirname, isAbsolute, resolve } from "node:path";
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { NebariConfig } from "../config/model.ts";
import { stateCandidates, type Stage } from "./discover.ts";
import { readTerraformState, type Env } from "./read.ts";
import type { LoadedTerraformState } from "./tfstate.ts";

export interface LocateOptions {
  stage02?: string;
  stage03?: string;
  configPath: string;
  cwd: string;
  env: Env;
  log?: Logger;
}

export async function locateStates(config: NebariConfig, opts: LocateOptions): Promise<{ stage02: LoadedTerraformState; stage03?: LoadedTerraformState }> {
  const folder = dirname(resolve(opts.cwd, opts.configPath));
  const given02 = opts.stage02 && absolute(opts.stage02, opts.cwd);
  const given03 = opts.stage03 && absolute(opts.stage03, opts.cwd);
  const stage02 = await locate(config, "02-infrastructure", given02, folder, opts);
  if (!stage02) throw notFound("02-infrastructure", given02 ? [given02] : stateCandidates(config, "02-infrastructure", folder));
  const stage03 = await locate(config, "03-kubernetes-initialize", given03, folder, opts);
  if (!stage03) {
    if (given03) throw notFound("03-kubernetes-initialize", [given03]);
    opts.log?.warn("No stage 03 Terraform state found: only stage 02 is imported; the next deploy adopts or creates the stage-03 objects");
  }
  return { stage02, ...(stage03 && { stage03 }) };
}

/** An explicit location must exist; discovered candidates are tried in order, skipping storage that is absent. */
async function locate(config: NebariConfig, stage: Stage, given: string | undefined, folder: string, opts: LocateOptions): Promise<LoadedTerraformState | undefined> {
  if (given) return readTerraformState(given, opts.env);
  for (const candidate of stateCandidates(config, stage, folder)) {
    try {
      const found = await readTerraformState(candidate, opts.env);
      if (found) {
        opts.log?.info(`Found the stage ${stage} Terraform state at ${candidate}`);
        return found;
      }
    } catch (err) {
      // A bucket or account under the other spelling does not exist: try the next; anything about the state itself stops.
      if (!(err instanceof NicError && err.code === "STATE_BACKEND_ERROR")) throw err;
      opts.log?.debug(`no stage ${stage} state at ${candidate}: ${err.message}`);
    }
  }
  return undefined;
}

/** URLs as given; paths relative to the working folder. */
function absolute(location: string, cwd: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || isAbsolute(location) ? location : resolve(cwd, location);
}

function notFound(stage: Stage, tried: string[]): NicError {
  return new NicError("TFSTATE_NOT_FOUND", `No Terraform state of stage ${stage} was found`, {
    details: { stage, tried },
    recovery: [
      `Pass its location with --terraform-state-${stage.slice(0, 2)} (a path, s3://…, gs://… or azblob://…).`,
      "Run nic import from the folder where `nebari deploy` ran (it holds stages/…), or check terraform_state in the config.",
    ],
  });
}
