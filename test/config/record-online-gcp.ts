// Records the GCP conversation of `--online` checks on the sandbox, for online-gcp.test.ts to replay without one.
// Run: node_modules/.bin/bun test/config/record-online-gcp.ts   (rewrites fixtures/recordings/gcp-online-validate.json)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../../sandbox/index.ts";
import { gcpOnlineChecks } from "../../src/providers/gcp/online.ts";
import { recordingFetch, type GcpExchange } from "../../src/providers/gcp/recording.ts";
import { gcpScenario, GCP_SCENARIOS } from "./online-gcp-scenario.ts";

const box = await startSandbox();
try {
  const recorded: Record<string, { exchanges: GcpExchange[]; problems: unknown }> = {};
  for (const name of Object.keys(GCP_SCENARIOS)) {
    const exchanges: GcpExchange[] = [];
    const problems = await gcpOnlineChecks(gcpScenario(name), { env: box.env, fetch: recordingFetch(exchanges) });
    recorded[name] = { exchanges, problems };
  }
  const file = join(import.meta.dir, "../../fixtures/recordings/gcp-online-validate.json");
  writeFileSync(file, JSON.stringify({ recorded_on: new Date().toISOString().slice(0, 10), scenarios: recorded }, null, 1) + "\n");
  console.log("recorded", Object.keys(recorded).join(", "), "in", file);
} finally {
  await box.stop();
}
