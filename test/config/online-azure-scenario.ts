// The configurations `nic validate --online` is tried with on Azure, recorded on the sandbox by record-online-azure.ts
// (fixtures/recordings/azure-online-validate.json) and replayed by online-azure.test.ts.
import { loadConfig } from "../../src/config/load.ts";
import type { AzureConfig } from "../../src/config/model.ts";
import { writeTemp } from "../helpers/files.ts";

const azure = (block: string) => `project_name: demo\nprovider: azure\nazure:\n  storage_account_postfix: ab12\n${block}`;

export const AZURE_SCENARIOS: Record<string, string> = {
  good: azure("  region: Central US\n  kubernetes_version: '1.33'\n"),
  typo: azure("  region: centralsu\n  kubernetes_version: '1.33'\n"),
  bad: azure("  region: centralus\n  kubernetes_version: '1.28'\n  node_groups:\n    general: {instance: Standard_D5_v3}\n    a100: {instance: Standard_NC24ads_A100_v4}\n    nc: {instance: Standard_NC6s_v3}\n"),
};

export function azureScenario(name: string): AzureConfig {
  return loadConfig(writeTemp("nebari-config.yaml", AZURE_SCENARIOS[name]!), { env: {} }).config.azure!;
}

/** What a replay needs of the environment: a subscription (the sandbox's) and an ARM endpoint no request reaches. */
export const AZURE_REPLAY_ENV = { AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-00000000cafe", AZURE_RESOURCE_MANAGER_ENDPOINT: "https://replay.invalid" };
