// A destroy replayed from a recording of the AWS conversation (test/drift/recording.ts made it on the sandbox): the
// same requests are made, every resource leaves the state, and the unreachable cluster API is only a warning.
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/cli/log.ts";
import { loadConfig } from "../../src/config/load.ts";
import { destroy } from "../../src/destroy/destroy.ts";
import { loadProvider } from "../../src/deploy/phases.ts";
import { replayer } from "../../src/providers/aws/recording.ts";
import { serializeState } from "../../src/state/format.ts";
import { openBackend } from "../../src/state/open.ts";
import { requireState } from "../../src/state/store.ts";
import { DESTROY_RECORDING, readRecording, REPLAY_ENV, throughHandler } from "../drift/recording.ts";

test("a recorded destroy replays: every tracked resource deleted in order, the state left empty, no request unanswered", async () => {
  const recording = readRecording(DESTROY_RECORDING);
  const dir = mkdtempSync(join(tmpdir(), "nic-replay-"));
  writeFileSync(join(dir, "nebari-config.yaml"), recording.config);
  // The recorded cluster API is gone: point at a port nothing listens on.
  const cluster = recording.state.resources["aws/eks_cluster/main"]!;
  cluster.attributes = { ...cluster.attributes, endpoint: "https://127.0.0.1:9" };
  writeFileSync(join(dir, "nic-state.json"), serializeState(recording.state));
  const loaded = loadConfig(join(dir, "nebari-config.yaml"), { env: {} });
  const backend = await openBackend(join(dir, "nic-state.json"), REPLAY_ENV);
  const handler = replayer(recording.exchanges);
  const warnings: string[] = [];
  const log = createLogger({ format: "json", level: "warn", write: (line) => void warnings.push(JSON.parse(line).message) });

  const report = await destroy(loaded, throughHandler(await loadProvider(loaded, "test"), handler), backend, {
    dryRun: false, yes: true, force: false, prompter: { interactive: false, ask: async () => "" }, env: REPLAY_ENV, log, lockTimeoutMs: 0, requestHandler: handler,
  });
  expect(handler.unmatched).toEqual([]);
  expect(new Set(handler.served)).toEqual(new Set(recording.exchanges.map((e) => e.key)));
  const tracked = Object.keys(recording.state.resources).filter((a) => a.startsWith("aws/"));
  expect([...report.deleted].sort()).toEqual(tracked.sort());
  expect(Object.keys((await requireState(backend)).state.resources)).toEqual([]);
  expect(warnings.some((w) => w.startsWith("The cluster's API cannot be reached"))).toBe(true);
});
