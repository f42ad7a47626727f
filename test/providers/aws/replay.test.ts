// Replays of a recorded fresh deploy and no-op deploy (fixtures/recordings, made by record.ts on the sandbox): the
// provider must make the same requests and reach the same state, with no sandbox running.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Tracked } from "../../../src/engine/types.ts";
import { replayer, type Exchange } from "../../../src/providers/aws/recording.ts";
import { configFrom, Deployment } from "./harness.ts";
import { RECORDED_CONFIG } from "./recorded-config.ts";

interface Recording {
  stateBefore: Tracked[];
  thumbprints: string[];
  exchanges: Exchange[];
  stateAfter: Tracked[];
}

const load = (name: string): Recording => JSON.parse(readFileSync(join(import.meta.dir, "../../../fixtures/recordings", name), "utf8"));
/** Reads are REST GETs, JSON targets `….Describe*` and query actions `Action=Describe*` (and Get*, List*). */
const isMutating = (key: string) => !/^\S+ GET /.test(key) && !/[.=](Describe|Get|List)\w* /.test(key + " ") && !/Action=(Describe|Get|List)/.test(key);

function replay(recording: Recording) {
  const handler = replayer(recording.exchanges);
  const d = new Deployment(undefined, { requestHandler: handler, thumbprint: async () => recording.thumbprints[0] ?? "" });
  d.state = structuredClone(recording.stateBefore);
  return { d, handler };
}

const comparable = (state: Tracked[]) => state.map((t) => ({ address: t.address, id: t.id, arn: t.arn })).sort((a, b) => a.address.localeCompare(b.address));

test("a recorded fresh deploy replays to the recorded state", async () => {
  const recording = load("aws-fresh-deploy.json");
  const { d, handler } = replay(recording);
  const { plan, result } = await d.deploy(configFrom(RECORDED_CONFIG));
  expect(handler.unmatched).toEqual([]);
  expect(plan.summary).toEqual({ add: 37, change: 0, replace: 0, destroy: 0 });
  expect(result.failed).toEqual([]);
  expect(comparable(d.state)).toEqual(comparable(recording.stateAfter));
}, 60_000);

test("a recorded no-op deploy replays with no change and only reads, 30 requests", async () => {
  const recording = load("aws-noop-deploy.json");
  const { d, handler } = replay(recording);
  const { plan, result } = await d.deploy(configFrom(RECORDED_CONFIG));
  expect(handler.unmatched).toEqual([]);
  expect(plan.entries.filter((e) => e.action !== "no-op")).toEqual([]);
  expect(result.done).toEqual([]);
  expect(handler.served.filter(isMutating)).toEqual([]);
  expect(handler.served).toHaveLength(30);
  expect(comparable(d.state)).toEqual(comparable(recording.stateAfter));
}, 60_000);

test("a request the recording does not know fails the replay instead of inventing an answer", async () => {
  const recording = load("aws-noop-deploy.json");
  const { d, handler } = replay(recording);
  const other = configFrom(RECORDED_CONFIG.replace("project_name: nic", "project_name: other"));
  await expect(d.plan(other)).rejects.toThrow(/replay: no recorded answer/);
  expect(handler.unmatched.length).toBeGreaterThan(0);
}, 60_000);
