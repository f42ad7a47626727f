// Drift detection replayed from a recording of the AWS conversation (test/drift/recording.ts made it on the sandbox):
// the same reads give the same report, and no request is left unanswered, so detection asks nothing new.
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { phaseDrift } from "../../src/drift/detect.ts";
import { cloudPhase, loadProvider } from "../../src/deploy/phases.ts";
import { driftDocument } from "../../src/drift/report.ts";
import { replayer } from "../../src/providers/aws/recording.ts";
import { DETECT_RECORDING, readRecording, REPLAY_ENV, throughHandler } from "./recording.ts";

test("a recorded detection replays to exactly the recorded drift: max_size reported, the autoscaler's desired_size ignored", async () => {
  const recording = readRecording(DETECT_RECORDING);
  const configPath = join(mkdtempSync(join(tmpdir(), "nic-replay-")), "nebari-config.yaml");
  writeFileSync(configPath, recording.config);
  const loaded = loadConfig(configPath, { env: {} });
  const handler = replayer(recording.exchanges);
  const provider = throughHandler(await loadProvider(loaded, "test"), handler);

  const phase = await phaseDrift(await cloudPhase(loaded, provider, recording.state, REPLAY_ENV), recording.state, { env: REPLAY_ENV, signal: new AbortController().signal });
  const doc = driftDocument([phase]);
  expect(handler.unmatched).toEqual([]);
  expect(handler.served.length).toBe(recording.exchanges.length);
  expect(doc.has_drift).toBe(true);
  expect(doc.summary).toEqual({ total_resources: Object.keys(recording.state.resources).filter((a) => a.startsWith("aws/")).length, drifted_resources: 1, added_resources: 0, removed_resources: 0 });
  expect(doc.cloud.eks_node_group!.user!.differences).toEqual([{ field: "scaling.max_size", state_value: 5, actual_value: 9 }]);
  expect(doc.ignored).toEqual([{ address: "aws/eks_node_group/user", phase: "cloud", field: "scaling.desired_size", state_value: 0, actual_value: 2 }]);
});
