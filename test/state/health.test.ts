// nic status's health rule (src/state/health.ts), pure: healthy means the last run finished, nothing is pending, no lock
// is held, every desired resource is tracked; a configuration changed since the last run is said (a notice: still healthy).
import { expect, test } from "bun:test";
import { newState, type State } from "../../src/state/format.ts";
import { buildStatus } from "../../src/state/health.ts";

const entry = (imported = false) => ({ kind: "vpc", provider_id: "vpc-1", attributes: {}, imported_from_terraform: imported, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" });
const state = (patch: (s: State) => void): State => {
  const s = newState({ provider: "aws", projectName: "nic", region: "us-west-2" });
  s.resources["aws/vpc/main"] = entry();
  s.metadata.configuration_hash = "sha256:a";
  patch(s);
  return s;
};
const codes = (s: State, config?: { hash: string; desired: string[] }) => buildStatus("f", s, undefined, [], config).issues.map((i) => i.code);

test("resources but no finished run: not healthy; a finished deploy or an import is", () => {
  expect(codes(state(() => {}))).toEqual(["no_finished_run"]);
  expect(codes(state((s) => (s.metadata.last_successful_deploy = "2026-01-01T00:00:00Z")))).toEqual([]);
  expect(codes(state((s) => (s.resources["aws/vpc/main"] = entry(true))))).toEqual([]);
});

test("with the configuration: every desired resource must be tracked, and a changed configuration is said", () => {
  const done = state((s) => (s.metadata.last_successful_deploy = "2026-01-01T00:00:00Z"));
  expect(codes(done, { hash: "sha256:a", desired: ["aws/vpc/main"] })).toEqual([]);
  expect(codes(done, { hash: "sha256:a", desired: ["aws/vpc/main", "aws/eks_cluster/main"] })).toEqual(["desired_untracked"]);
  const report = buildStatus("f", done, undefined, [], { hash: "sha256:b", desired: ["aws/vpc/main"] });
  expect(report.issues.map((i) => [i.code, i.severity])).toEqual([["configuration_changed", "notice"]]);
  expect(report.healthy).toBe(true);
});
