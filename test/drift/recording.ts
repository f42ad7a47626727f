// Recordings of `nic drift detect` and `nic destroy` against the sandbox, replayed by the replay tests without it.
// Regenerate with: node_modules/.bin/bun test/drift/recording.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DeployProvider } from "../../src/deploy/provider.ts";
import { awsKinds } from "../../src/providers/aws/index.ts";
import { recorder, type Exchange, type RequestHandler } from "../../src/providers/aws/recording.ts";
import type { State } from "../../src/state/format.ts";

export interface Recording {
  config: string;
  /** The state the run started from. */
  state: State;
  exchanges: Exchange[];
}

export const DETECT_RECORDING = join(import.meta.dir, "recordings/detect.json");
export const DESTROY_RECORDING = join(import.meta.dir, "../destroy/recordings/destroy.json");

/** The provider with its SDK clients' HTTP layer replaced (recording or replaying). */
export function throughHandler(provider: DeployProvider, requestHandler: RequestHandler): DeployProvider {
  // The recordings hold the conversation after the pre-flight (sts:GetCallerIdentity, tested on the sandbox in test/reliability).
  return { ...provider, checkCredentials: undefined, kinds: (config, env) => awsKinds({ region: config.amazon_web_services!.region, env, requestHandler }) };
}

export function readRecording(path: string): Recording {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Credentials and an endpoint nothing listens on: a replayed run never leaves the process. */
export const REPLAY_ENV = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "replay", AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_EC2_METADATA_DISABLED: "true" };

if (import.meta.main) {
  const { Stack, CONFIG } = await import("./harness.ts");
  const { cloudPhase } = await import("../../src/deploy/phases.ts");
  const { phaseDrift } = await import("../../src/drift/detect.ts");
  const { destroy } = await import("../../src/destroy/destroy.ts");
  const s = await Stack.start();
  try {
    await s.deploy();
    await s.mutate({ type: "eks:nodegroup", id: "nic-dev/user", set: { spec: { scalingConfig: { maxSize: 9, desiredSize: 2 } } } });
    const detectLog: Exchange[] = [];
    const state = await s.state();
    await phaseDrift(await cloudPhase(s.loaded, throughHandler(s.provider, recorder(detectLog)), state, s.env), state, { env: s.env, signal: new AbortController().signal });
    writeFileSync(DETECT_RECORDING, JSON.stringify({ config: CONFIG, state, exchanges: detectLog } satisfies Recording));

    const destroyLog: Exchange[] = [];
    const handler = recorder(destroyLog);
    const before = await s.state();
    await destroy(s.loaded, throughHandler(s.provider, handler), s.backend, {
      dryRun: false, yes: true, force: false, prompter: { interactive: false, ask: async () => "" }, env: s.env, log: s.log(), lockTimeoutMs: 0, requestHandler: handler,
    });
    writeFileSync(DESTROY_RECORDING, JSON.stringify({ config: CONFIG, state: before, exchanges: destroyLog } satisfies Recording));
    console.log(`recorded ${detectLog.length} detect and ${destroyLog.length} destroy exchanges`);
  } finally {
    await s.stop();
  }
}
