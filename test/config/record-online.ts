// Records the AWS conversation of `--online` checks on the sandbox, for online-aws.test.ts to replay without one.
// Run: node_modules/.bin/bun test/config/record-online.ts   (rewrites fixtures/recordings/aws-online-validate.json)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../../sandbox/index.ts";
import { awsOnlineChecks } from "../../src/providers/aws/online.ts";
import { recorder, type Exchange } from "../../src/providers/aws/recording.ts";
import { scenario, SCENARIOS } from "./online-scenario.ts";

const box = await startSandbox();
try {
  const recorded: Record<string, { exchanges: Exchange[]; problems: unknown }> = {};
  for (const name of Object.keys(SCENARIOS)) {
    const exchanges: Exchange[] = [];
    const config = scenario(name);
    const problems = await awsOnlineChecks(config, { region: config.region, env: box.env, requestHandler: recorder(exchanges) });
    recorded[name] = { exchanges, problems };
  }
  const file = join(import.meta.dir, "../../fixtures/recordings/aws-online-validate.json");
  writeFileSync(file, JSON.stringify({ recorded_on: new Date().toISOString().slice(0, 10), scenarios: recorded }, null, 1) + "\n");
  console.log("recorded", Object.keys(recorded).join(", "), "in", file);
} finally {
  await box.stop();
}
