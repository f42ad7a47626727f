import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { plan } from "../../src/engine/plan.ts";
import { applyDocument, describeEvent, planDocument, renderPlan } from "../../src/engine/render.ts";
import { checkSavedPlan, configHash, readSavedPlan, savePlan } from "../../src/engine/saved-plan.ts";
import type { Resource } from "../../src/engine/types.ts";

function fixturePlan(name: string) {
  const f = require(join(import.meta.dir, "../../fixtures/plans", name));
  return plan(f.desired, new Map(Object.entries(f.actual)), { resources: f.state }, f.options);
}

describe("renderPlan", () => {
  test("shows an in-place update like Terraform", () => {
    expect(renderPlan(fixturePlan("max-size-change.json"))).toBe(
      ["  ~ aws/eks_node_group/general", "      ~ scaling.max_size: 5 → 10", "", "Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy."].join("\n"),
    );
  });

  test("shows replacements with their reason, unknown values and the refusal", () => {
    expect(renderPlan(fixturePlan("protected-replace-refused.json"))).toBe(
      [
        "-/+ aws/vpc/main  (changing cidr_block forces replacement)",
        '      ~ cidr_block: "10.10.0.0/16" → "10.20.0.0/16"   # forces replacement',
        "",
        "-/+ aws/subnet/a  (changing vpc_id forces replacement)",
        '      ~ vpc_id: "vpc-1" → (known after apply)   # forces replacement',
        "",
        "Error: aws/vpc/main would be replaced because changing cidr_block forces replacement, but it is protected (it holds data or identity). Revert the change, or rerun with --allow-replace to destroy and recreate it.",
        "",
        "Plan: 0 to add, 0 to change, 2 to replace, 0 to destroy.",
      ].join("\n"),
    );
  });

  test("shows creates with their fields, deletes and adoptions", () => {
    const created = renderPlan(fixturePlan("add-node-group.json"));
    expect(created).toContain('  + aws/eks_node_group/worker\n      + cluster: "demo-dev"\n      + max_size: 5\n      + labels.dedicated: "worker"');
    expect(created).not.toContain("aws/eks_node_group/general");
    expect(renderPlan(fixturePlan("delete-removed.json"))).toContain("  - aws/efs_mount_target/a\n");
    expect(renderPlan(fixturePlan("adopt-and-recreate.json"))).toContain("    aws/ecr_repository/jupyterlab  (found in the cloud, recorded in state)");
  });

  test("says so when nothing changes", () => {
    expect(renderPlan(fixturePlan("noop.json"))).toBe("No changes. The infrastructure matches the configuration.");
  });
});

test("planDocument lists every resource with its action and changes", () => {
  const doc = planDocument(fixturePlan("max-size-change.json"));
  expect(doc).toEqual({
    has_changes: true,
    summary: { add: 0, change: 1, replace: 0, destroy: 0 },
    resources: [
      {
        address: "aws/eks_node_group/general",
        kind: "aws/eks_node_group",
        action: "update",
        changes: [{ path: "scaling.max_size", before: 5, after: 10 }],
      },
    ],
    errors: [],
  });
});

describe("saved plans", () => {
  const p = fixturePlan("max-size-change.json");
  const state = { lineage: "6f1c", serial: 7 };
  const desired: Resource[] = [{ address: "a/b/c", kind: "a/b", attributes: { x: 1, y: { z: 2 } } }];

  test("round-trip and apply to the state they were made from", () => {
    const saved = readSavedPlan(savePlan(p, state, configHash(desired)), "plan.json");
    expect(saved.plan).toEqual(p);
    expect(() => checkSavedPlan(saved, state, configHash(desired))).not.toThrow();
  });

  test("are refused when the state moved on or belongs to another lineage", () => {
    const saved = readSavedPlan(savePlan(p, state, "h"), "plan.json");
    expect(() => checkSavedPlan(saved, { ...state, serial: 8 })).toThrow("serial 7 → 8");
    expect(() => checkSavedPlan(saved, { ...state, lineage: "other" })).toThrow("lineage");
    expect(() => checkSavedPlan(saved, state, "another-hash")).toThrow("configuration changed");
  });

  test("a file that is not a plan is invalid input", () => {
    for (const text of ["{", "{}", '{"format":"nic-plan","format_version":9}']) {
      expect(() => readSavedPlan(text, "x.json")).toThrow(NicError);
    }
  });

  test("the config hash ignores key order and sees every value", () => {
    const reordered: Resource[] = [{ kind: "a/b", attributes: { y: { z: 2 }, x: 1 }, address: "a/b/c" }];
    expect(configHash(reordered)).toBe(configHash(desired));
    expect(configHash([{ ...desired[0]!, attributes: { x: 1, y: { z: 3 } } }])).not.toBe(configHash(desired));
  });
});

describe("apply output", () => {
  test("describeEvent gives [n/m] progress and says what failed and why", () => {
    expect(describeEvent({ type: "started", address: "aws/vpc/main", operation: "create", step: 1, total: 12 })).toBe("[1/12] Creating aws/vpc/main");
    expect(describeEvent({ type: "done", address: "aws/vpc/main", operation: "delete", elapsedMs: 1250 })).toBe("Deleted aws/vpc/main (1.3s)");
    expect(describeEvent({ type: "skipped", address: "aws/subnet/a", operation: "create", reason: "cancelled" })).toBe("Skipped creating aws/subnet/a: cancelled");
  });

  test("applyDocument keeps ids and messages and drops raw errors", () => {
    const doc = applyDocument({
      success: false,
      adopted: [],
      done: [{ address: "aws/vpc/main", operation: "create", actual: { id: "vpc-1", attributes: {} } }],
      failed: [{ address: "aws/subnet/a", operation: "create", error: "boom", cause: new Error("boom") }],
      skipped: [{ address: "aws/eks_cluster/main", operation: "create", reason: "create aws/subnet/a did not complete" }],
    });
    expect(JSON.parse(JSON.stringify(doc))).toEqual({
      success: false,
      done: [{ address: "aws/vpc/main", operation: "create", id: "vpc-1" }],
      failed: [{ address: "aws/subnet/a", operation: "create", error: "boom" }],
      skipped: [{ address: "aws/eks_cluster/main", operation: "create", reason: "create aws/subnet/a did not complete" }],
      adopted: [],
    });
  });
});
