// What the state commands share: reading --lock-timeout and opening the backend --state/--config choose.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { TaskContext } from "../cli/task.ts";
import type { NebariConfig } from "../config/model.ts";
import type { StateBackend } from "./backend.ts";
import { openBackend, resolveStateLocation, type StateLocationInputs } from "./open.ts";
import { applyRequestTimeoutFlag } from "../net/deadlines.ts";
import { parseDuration } from "./session.ts";

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
