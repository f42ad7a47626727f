// NIC_RECORD on Azure: the compiled binary records a no-op deploy's Azure conversation (ARM and Azure AD) with no secret
// in it; the Azure kinds then replay it with no sandbox running and plan the same: nothing to change.
import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../../../sandbox/index.ts";
import { loadConfig } from "../../../src/config/load.ts";
import { trackedFrom } from "../../../src/deploy/tracked.ts";
import { observe } from "../../../src/engine/observe.ts";
import { plan } from "../../../src/engine/plan.ts";
import { azureClients, azureKinds, desiredResources } from "../../../src/providers/azure/index.ts";
import { replayingHttpClient, type AzureExchange } from "../../../src/providers/azure/recording.ts";
import { nicAsync } from "../../helpers/binary.ts";
import { tempDir } from "../../helpers/files.ts";

test("a recorded no-op deploy holds no secret and replays to the same plan with no sandbox", async () => {
  const dir = tempDir("nic-azure-record-");
  const config = join(dir, "nebari-config.yaml");
  writeFileSync(config, readFileSync(join(import.meta.dir, "../../../fixtures/configs/demo-azure.yaml"), "utf8"));
  const recordingFile = join(dir, "recording.json");
  const sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, acrCreate: 50 } as never });
  let env: Record<string, string>;
  try {
    env = { ...sandbox.env, HOME: dir };
    const deploy = await nicAsync(["deploy", "-f", config, "--format", "json"], env);
    expect(deploy.code, deploy.stderr).toBe(0);
    const noop = await nicAsync(["deploy", "-f", config, "--dry-run", "--detailed-exitcode", "--format", "json"], { ...env, NIC_RECORD: recordingFile });
    expect(noop.code, noop.stderr).toBe(0);
  } finally {
    await sandbox.stop();
  }

  const text = readFileSync(recordingFile, "utf8");
  for (const secret of [env.AZURE_CLIENT_SECRET!, "PRIVATE KEY", "sandbox-arm."]) expect(text).not.toContain(secret);
  const { exchanges } = JSON.parse(text) as { exchanges: AzureExchange[] };
  expect(exchanges.map((e) => e.key.split(" ")[0] + " " + e.key.split("?")[0]!.split("/").pop())).toEqual(expect.arrayContaining(["GET nic-demo-dev", "GET nica2ddemo-dev", "POST listclusterusercredential"]));

  // Replay: the same kinds, the recorded answers, no sandbox.
  const replayer = await replayingHttpClient(exchanges);
  const { NODE_EXTRA_CA_CERTS: _ca, ...replayEnv } = env;
  const loaded = loadConfig(config, { env: {} }).config;
  const credential = { getToken: async () => ({ token: "replayed", expiresOnTimestamp: Date.now() + 3600_000 }) };
  const kinds = azureKinds(loaded, azureClients(replayEnv, { httpClient: replayer, credential }));
  const state = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
  const tracked = trackedFrom(state, "azure/");
  const desired = desiredResources(loaded);
  const actual = await observe(kinds, desired, tracked, new AbortController().signal);
  expect(replayer.unmatched).toEqual([]);
  const p = plan(desired, actual, { resources: tracked });
  expect(p.summary).toEqual({ add: 0, change: 0, replace: 0, destroy: 0 });
  expect(p.entries.map((e) => e.action)).toEqual(desired.map(() => "no-op"));
}, 120_000);
