// Records the AWS conversation of a fresh deploy and of a no-op deploy on the sandbox, for replay.test.ts.
// Run: node_modules/.bin/bun test/providers/aws/record.ts   (rewrites fixtures/recordings/aws-*.json)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { recorder, type Exchange } from "../../../src/providers/aws/recording.ts";
import { issuerThumbprint } from "../../../src/providers/aws/thumbprint.ts";
import { configFrom, Deployment } from "./harness.ts";
import { RECORDED_CONFIG } from "./recorded-config.ts";

const DIR = join(import.meta.dir, "../../../fixtures/recordings");
const log: Exchange[] = [];
const thumbprints: string[] = [];
const d = await Deployment.start({
  requestHandler: recorder(log),
  thumbprint: async (url, signal) => {
    const t = await issuerThumbprint(url, signal);
    thumbprints.push(t);
    return t;
  },
});
try {
  const config = configFrom(RECORDED_CONFIG);
  const fresh = await d.deploy(config);
  if (!fresh.result.success) throw new Error(`the fresh deploy failed: ${JSON.stringify(fresh.result.failed)}`);
  const write = (name: string, doc: unknown) => writeFileSync(join(DIR, name), JSON.stringify(doc, null, 1) + "\n");
  write("aws-fresh-deploy.json", { stateBefore: [], thumbprints, exchanges: log.splice(0), stateAfter: d.state });
  const stateBefore = structuredClone(d.state);
  await d.deploy(config);
  write("aws-noop-deploy.json", { stateBefore, thumbprints: [], exchanges: log.splice(0), stateAfter: d.state });
  console.log("recorded fresh and no-op deploys in", DIR);
} finally {
  await d.stop();
}
