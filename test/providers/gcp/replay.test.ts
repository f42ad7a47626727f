// NIC_RECORD on GCP: a no-op deploy of the compiled binary on the sandbox records its GCP conversation (bearer tokens
// redacted); replayed with no sandbox, NIC's GCP kinds read the same cloud and plan no change.
import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load.ts";
import { trackedFrom } from "../../../src/deploy/tracked.ts";
import { observe } from "../../../src/engine/observe.ts";
import { plan } from "../../../src/engine/plan.ts";
import { desiredResources, gcpClients, gcpKinds, withZones } from "../../../src/providers/gcp/index.ts";
import { replayingFetch, type GcpExchange } from "../../../src/providers/gcp/recording.ts";
import { startSandbox } from "../../../sandbox/index.ts";
import { nicAsync } from "../../helpers/binary.ts";
import { tempDir } from "../../helpers/files.ts";

test("a recorded no-op GCP deploy replays with no sandbox: same reads, no change, no token in the file", async () => {
  const dir = tempDir("nic-gcp-record-");
  const configPath = join(dir, "nebari-config.yaml");
  writeFileSync(configPath, readFileSync(join(import.meta.dir, "../../../fixtures/configs/demo-gcp.yaml"), "utf8"));
  const recordingPath = join(dir, "recording.json");
  const sandbox = await startSandbox();
  let token: string;
  try {
    await fetch(`${sandbox.controlEndpoint}/delays`, { method: "PUT", body: JSON.stringify({ gkeClusterCreate: 100, gkeNodePoolCreate: 50 }) });
    token = sandbox.env.GOOGLE_OAUTH_ACCESS_TOKEN!;
    const env = { ...sandbox.env, HOME: dir };
    expect((await nicAsync(["deploy", "-f", configPath], env, dir)).code).toBe(0);
    const recorded = await nicAsync(["deploy", "-f", configPath], { ...env, NIC_RECORD: recordingPath }, dir);
    expect(recorded.code, recorded.stderr).toBe(0);
  } finally {
    await sandbox.stop();
  }

  const text = readFileSync(recordingPath, "utf8");
  expect(text).not.toContain(token!);
  const { exchanges } = JSON.parse(text) as { exchanges: GcpExchange[] };
  // A no-op deploy only reads (getIamPolicy is a POST that reads).
  expect(exchanges.map((e) => e.key).filter((k) => !k.startsWith("GET ") && !/:getIamPolicy$/.test(k.split("?")[0]!))).toEqual([]);

  const state = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
  const replay = replayingFetch(exchanges);
  const config = loadConfig(configPath, { env: {} }).config;
  const gcp = gcpClients({ project: "nebari-sandbox", region: "us-central1", env: { GOOGLE_OAUTH_ACCESS_TOKEN: "replayed", CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER: "http://replay.invalid/", CLOUDSDK_API_ENDPOINT_OVERRIDES_IAM: "http://replay.invalid/", CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER: "http://replay.invalid/", CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY: "http://replay.invalid/", CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: "http://replay.invalid/" }, fetch: replay });
  const desired = desiredResources(await withZones(config, state, gcp));
  const tracked = trackedFrom(state, "gcp/");
  const actual = await observe(gcpKinds(gcp), desired, tracked, new AbortController().signal);
  expect(replay.unmatched).toEqual([]);
  const p = plan(desired, actual, { resources: tracked });
  expect(p.entries.filter((e) => e.action !== "no-op").map((e) => e.address)).toEqual([]);
  expect(p.entries).toHaveLength(12);
}, 120_000);
