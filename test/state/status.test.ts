// `nic status` logic: pending operations and a held lock are issues; provider health checks plug in through HEALTH_CHECKS.
import { expect, test } from "bun:test";
import { newState } from "../../src/state/format.ts";
import { buildStatus, HEALTH_CHECKS, runHealthChecks } from "../../src/state/health.ts";
import { newLockInfo } from "../../src/state/lock.ts";

function deployed() {
  const state = newState({ provider: "aws", projectName: "demo", region: "us-west-2" });
  const at = state.metadata.created;
  const entry = (kind: string, id: string, attributes: Record<string, unknown> = {}) => ({ kind, provider_id: id, attributes, imported_from_terraform: false, created_at: at, updated_at: at });
  state.resources["aws/eks_cluster/main"] = entry("eks_cluster", "demo-dev", { endpoint: "https://ABC.eks.amazonaws.com" });
  state.resources["aws/eks_node_group/general"] = entry("eks_node_group", "general");
  state.resources["aws/eks_node_group/user"] = entry("eks_node_group", "user");
  state.metadata.last_successful_deploy = at;
  return state;
}

test("a clean state is healthy and counts resources by kind", () => {
  const state = deployed();
  const report = buildStatus("s.json", state, undefined, []);
  expect(report).toMatchObject({ healthy: true, issues: [], provider: "aws", resources: { eks_cluster: 1, eks_node_group: 2 }, lock: null });
  expect(report.cluster).toEqual({ address: "aws/eks_cluster/main", name: "demo-dev", endpoint: "https://ABC.eks.amazonaws.com" });
  expect(report.last_deploy).toBe(state.metadata.created);
});

test("pending operations, a held lock and a missing state are issues", () => {
  const state = deployed();
  state.pending_operations.push({ id: "1", address: "aws/eks_node_group/user", operation: "update", idempotency_token: "t", started_at: state.metadata.created, unknown_reason: "timed out" });
  const report = buildStatus("s.json", state, newLockInfo("deploy", "s.json"), []);
  expect(report.healthy).toBe(false);
  expect(report.issues.map((i) => i.code)).toEqual(["state_locked", "pending_operation"]);
  expect(report.issues[1]!.message).toContain("timed out");
  expect(report.lock?.operation).toBe("deploy");
  expect(buildStatus("s.json", undefined, undefined, []).issues.map((i) => i.code)).toEqual(["state_missing"]);
});

test("provider health checks are run, and a failing check becomes an issue", async () => {
  HEALTH_CHECKS.aws = async () => [
    { name: "node groups", run: async (s) => [{ severity: "warning", code: "node_group_degraded", message: "user is DEGRADED", address: Object.keys(s.resources)[2] }] },
    { name: "cluster", run: async () => Promise.reject(new Error("AccessDenied")) },
  ];
  const live = await runHealthChecks(deployed(), { signal: new AbortController().signal, env: {} });
  expect(live.map((i) => i.code)).toEqual(["node_group_degraded", "health_check_failed"]);
  expect(live[1]!.message).toContain("AccessDenied");
  expect(buildStatus("s.json", deployed(), undefined, live).healthy).toBe(false);
});
