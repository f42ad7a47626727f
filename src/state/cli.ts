// What the state commands share: the --state/--config/--lock-timeout flags and opening the chosen backend.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { FlagSpecs } from "../cli/args.ts";
import type { TaskContext } from "../cli/task.ts";
import type { NebariConfig } from "../config/model.ts";
import type { StateBackend } from "./backend.ts";
import { openBackend, resolveStateLocation, type StateLocationInputs } from "./open.ts";
import { applyRequestTimeoutFlag, REQUEST_TIMEOUT_FLAG } from "../net/deadlines.ts";
import { parseDuration } from "./session.ts";

export const STATE_FLAGS: FlagSpecs = {
  state: {
    type: "string",
    description: "State location: a path, s3://BUCKET/KEY[?lock_table=TABLE], gs://BUCKET/OBJECT or azblob://ACCOUNT/CONTAINER/BLOB (default: from the config)",
    placeholder: "LOCATION",
  },
  config: { type: "string", short: "f", aliases: ["file"], description: "Path of nebari-config.yaml (locates the default state)", placeholder: "FILE", default: "nebari-config.yaml" },
  ...REQUEST_TIMEOUT_FLAG,
};

export const LOCK_TIMEOUT_FLAG: FlagSpecs = {
  "lock-timeout": { type: "string", description: "Wait this long for a state lock held by another run (e.g. 30s, 5m)", placeholder: "DURATION", default: "0s" },
};

export function lockTimeoutMs(ctx: TaskContext): number {
  return parseDuration(String(ctx.flags["lock-timeout"] ?? "0s"));
}

/** --state, else the config's remote state (terraform_state.type: remote), else the file beside the config. */
export async function openStateFromFlags(ctx: TaskContext): Promise<StateBackend> {
  // Every command that opens a state reaches a backend, and most a cloud: the request deadline applies from here on.
  applyRequestTimeoutFlag(ctx.flags, ctx.env);
  const flag = ctx.flags.state as string | undefined;
  const configPath = resolve(ctx.cwd, String(ctx.flags.config ?? "nebari-config.yaml"));
  let inputs: StateLocationInputs | undefined;
  if (!flag && existsSync(configPath)) {
    const { loadConfig } = await import("../config/load.ts");
    inputs = stateInputs(loadConfig(configPath, { env: ctx.env }).config);
  }
  const location = resolveStateLocation({ flag, configPath, cwd: ctx.cwd, inputs });
  ctx.log.debug("state location", { location });
  return openBackend(location, ctx.env);
}

export function stateInputs(config: NebariConfig): StateLocationInputs {
  const block = config.amazon_web_services ?? config.google_cloud_platform ?? config.azure;
  return {
    provider: config.provider,
    projectName: config.project_name,
    namespace: config.namespace,
    region: block?.region ?? "",
    terraformStateType: config.terraform_state.type,
    azure: config.azure?.storage_account_postfix ? { resourceGroupName: config.azure.resource_group_name, storageAccountPostfix: config.azure.storage_account_postfix } : undefined,
  };
}
