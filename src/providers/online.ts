// `--online`: the provider's own answer to "does what this configuration names exist, and is it offered today?".
// Each provider's checks live beside its adapter (src/providers/<provider>/online.ts) and are imported only when asked.
import { NicError } from "../cli/errors.ts";
import type { NebariConfig } from "../config/model.ts";
import type { OnlineProblem } from "./aws/online.ts";

export type { OnlineProblem };

export async function onlineChecks(config: NebariConfig, env: Record<string, string | undefined>, signal?: AbortSignal): Promise<OnlineProblem[]> {
  if (config.provider === "aws") {
    const { awsOnlineChecks } = await import("./aws/online.ts");
    return awsOnlineChecks(config.amazon_web_services!, { region: config.amazon_web_services!.region, env }, signal);
  }
  if (config.provider === "azure") {
    const { azureOnlineChecks } = await import("./azure/online.ts");
    return azureOnlineChecks(config.azure!, env);
  }
  if (config.provider === "local" || config.provider === "existing") return [];
  throw new NicError("PROVIDER_UNSUPPORTED", `--online checks are not available for provider ${config.provider} yet`, {
    recovery: ["Run `nic validate` without --online: the offline checks still apply."],
  });
}
