// Records the Azure conversation of `--online` checks on the sandbox, for online-azure.test.ts to replay without one.
// Run: node_modules/.bin/bun test/config/record-online-azure.ts   (rewrites fixtures/recordings/azure-online-validate.json)
import { createDefaultHttpClient } from "@azure/core-rest-pipeline";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../../sandbox/index.ts";
import { azureOnlineChecks } from "../../src/providers/azure/online.ts";
import { recordingHttpClient, type AzureExchange } from "../../src/providers/azure/recording.ts";
import { azureScenario, AZURE_SCENARIOS } from "./online-azure-scenario.ts";

const box = await startSandbox();
try {
  const recorded: Record<string, { exchanges: AzureExchange[]; problems: unknown }> = {};
  for (const name of Object.keys(AZURE_SCENARIOS)) {
    const exchanges: AzureExchange[] = [];
    const httpClient = recordingHttpClient(createDefaultHttpClient(), exchanges);
    const problems = await azureOnlineChecks(azureScenario(name), box.env, { httpClient });
    // The sign-in is the credential's business; a replay brings its own token.
    recorded[name] = { exchanges: exchanges.filter((e) => e.key.includes("/subscriptions/")), problems };
  }
  const file = join(import.meta.dir, "../../fixtures/recordings/azure-online-validate.json");
  writeFileSync(file, JSON.stringify({ recorded_on: new Date().toISOString().slice(0, 10), scenarios: recorded }, null, 1) + "\n");
  console.log("recorded", Object.keys(recorded).join(", "), "in", file);
} finally {
  await box.stop();
}
