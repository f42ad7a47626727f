import { describe, expect, test } from "bun:test";
import { drift } from "../../src/engine/diff.ts";
import type { Actual, Tracked } from "../../src/engine/types.ts";

const nodeGroup: Tracked = {
  address: "aws/eks_node_group/general",
  kind: "aws/eks_node_group",
  id: "general",
  attributes: { scaling: { min_size: 1, desired_size: 1, max_size: 5 }, tags: { Project: "demo" } },
};
const vpc: Tracked = {
  address: "aws/vpc/main",
  kind: "aws/vpc",
  id: "vpc-1",
  attributes: { cidr_block: "10.10.0.0/16", tags: { Project: "demo", Owner: "terraform" } },
};
const ignoreFields = { "aws/eks_node_group": ["scaling.desired_size"] };

function actualOf(t: Tracked, attributes: Record<string, unknown>): [string, Actual] {
  return [t.address, { id: t.id, attributes }];
}

describe("drift", () => {
  test("state equal to the cloud is clean, even with AWS-managed tags and extra computed fields", () => {
    const actual = new Map([
      actualOf(vpc, { ...vpc.attributes, tags: { Project: "demo", Owner: "terraform", "aws:cloudformation:stack-id": "x" }, state: "available" }),
      actualOf(nodeGroup, { ...nodeGroup.attributes, tags: { Project: "demo", "eks:nodegroup-name": "general" } }),
    ]);
    const report = drift([vpc, nodeGroup], actual, { ignoreFields });
    expect(report.has_drift).toBe(false);
    expect(report.summary).toEqual({ total_resources: 2, drifted_resources: 0, added_resources: 0, removed_resources: 0 });
  });

  test("reports exactly the changed field, with the state's and the cloud's values", () => {
    const actual = new Map([actualOf(vpc, vpc.attributes), actualOf(nodeGroup, { ...nodeGroup.attributes, scaling: { min_size: 1, desired_size: 1, max_size: 10 } })]);
    const report = drift([vpc, nodeGroup], actual, { ignoreFields });
    expect(report.resources.find((r) => r.address === nodeGroup.address)?.differences).toEqual([
      { field: "scaling.max_size", state_value: 5, actual_value: 10 },
    ]);
    expect(report.summary.drifted_resources).toBe(1);
  });

  test("a tag removed behind NIC's back is drift", () => {
    const report = drift([vpc], new Map([actualOf(vpc, { ...vpc.attributes, tags: { Project: "demo" } })]));
    expect(report.resources[0]?.differences).toEqual([{ field: "tags.Owner", state_value: "terraform", actual_value: null }]);
  });

  test("the autoscaler's desired_size is listed as ignored, and counts only with includeIgnored", () => {
    const scaled = new Map([actualOf(nodeGroup, { ...nodeGroup.attributes, scaling: { min_size: 1, desired_size: 3, max_size: 5 } })]);
    const quiet = drift([nodeGroup], scaled, { ignoreFields });
    expect(quiet.has_drift).toBe(false);
    expect(quiet.resources[0]?.ignored).toEqual([{ field: "scaling.desired_size", state_value: 1, actual_value: 3 }]);

    const loud = drift([nodeGroup], scaled, { ignoreFields, includeIgnored: true });
    expect(loud.has_drift).toBe(true);
    expect(loud.resources[0]?.differences).toEqual([{ field: "scaling.desired_size", state_value: 1, actual_value: 3 }]);
    expect(loud.resources[0]?.ignored).toEqual([]);
  });

  test("AWS-managed tags show up with includeIgnored", () => {
    const tagged = new Map([actualOf(vpc, { ...vpc.attributes, tags: { ...(vpc.attributes.tags as object), "aws:created-by": "x" } })]);
    expect(drift([vpc], tagged).has_drift).toBe(false);
    expect(drift([vpc], tagged, { includeIgnored: true }).resources[0]?.differences).toEqual([
      { field: 'tags["aws:created-by"]', state_value: null, actual_value: "x" },
    ]);
  });

  test("counts what was removed from the cloud and what was added outside NIC", () => {
    const report = drift([vpc, nodeGroup], new Map([actualOf(vpc, vpc.attributes)]), {
      added: [{ address: "k8s/namespace/staging", kind: "k8s/namespace" }],
    });
    expect(report.resources.map((r) => r.status)).toEqual(["removed", "in-sync"]);
    expect(report.summary).toEqual({ total_resources: 2, drifted_resources: 0, added_resources: 1, removed_resources: 1 });
    expect(report.has_drift).toBe(true);
  });
});
