// Table-driven: each fixtures/plans/*.json holds desired, actual and state, and the plan expected from them.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { plan, type Plan } from "../../src/engine/plan.ts";
import type { Actual, Resource, Tracked } from "../../src/engine/types.ts";

const dir = join(import.meta.dir, "../../fixtures/plans");

interface Fixture {
  description: string;
  desired: Resource[];
  actual: Record<string, Actual>;
  state: Tracked[];
  options?: { allowReplace?: boolean };
  expected: unknown;
}

/** The parts of a plan a fixture states; JSON drops what is undefined. */
function essentials(p: Plan) {
  return JSON.parse(
    JSON.stringify({
      entries: p.entries.map((e) => ({
        address: e.address,
        action: e.action,
        changes: e.changes.map(({ path, before, after, forcesReplacement }) => ({ path, before, after, forcesReplacement })),
        reason: e.reason,
        adopt: e.adopt,
      })),
      errors: p.errors.map(({ address, code, fields }) => ({ address, code, fields })),
      summary: p.summary,
    }),
  );
}

describe("plan fixtures", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const fixture: Fixture = require(join(dir, file));
    test(`${file}: ${fixture.description}`, () => {
      const result = plan(fixture.desired, new Map(Object.entries(fixture.actual)), { resources: fixture.state }, fixture.options);
      expect(essentials(result)).toEqual(fixture.expected);
    });
  }
});

describe("plan", () => {
  const vpc: Resource = { address: "aws/vpc/main", kind: "aws/vpc", attributes: { cidr_block: "10.0.0.0/16" } };

  test("says a Kubernetes object is gone from the cluster, a cloud resource from the cloud", () => {
    const ns: Resource = { address: "k8s/namespace/_cluster/dev", kind: "k8s/namespace", attributes: {} };
    const tracked = (r: Resource) => ({ address: r.address, kind: r.kind, id: r.address, attributes: {} });
    const recreated = plan([vpc, ns], new Map(), { resources: [tracked(vpc), tracked(ns)] });
    expect(recreated.entries.map((e) => e.reason)).toEqual(["in state but gone from the cloud", "in state but gone from the cluster"]);
    const forgotten = plan([], new Map(), { resources: [tracked(vpc), tracked(ns)] });
    expect(Object.fromEntries(forgotten.entries.map((e) => [e.address, e.reason]))).toEqual({
      "aws/vpc/main": "already gone from the cloud; it is only removed from state",
      "k8s/namespace/_cluster/dev": "already gone from the cluster; it is only removed from state",
    });
  });

  test("is deterministic: the same input gives the same plan", () => {
    const desired = [vpc, { address: "aws/subnet/a", kind: "aws/subnet", attributes: { vpc_id: { $ref: "aws/vpc/main", field: "id" } } }];
    expect(plan(desired, new Map(), { resources: [] })).toEqual(plan(desired, new Map(), { resources: [] }));
  });

  test("explains a refused replacement, naming the field and the way out", () => {
    const p = plan(
      [{ ...vpc, protected: true, immutableFields: ["cidr_block"] }],
      new Map([["aws/vpc/main", { id: "vpc-1", attributes: { cidr_block: "10.9.0.0/16" } }]]),
      { resources: [] },
    );
    expect(p.errors[0]?.message).toContain("cidr_block forces replacement");
    expect(p.errors[0]?.message).toContain("--allow-replace");
  });

  test("a dependency cycle is a provider bug, reported as an internal error", () => {
    const a: Resource = { address: "x/a/1", kind: "x/a", attributes: {}, dependsOn: ["x/b/1"] };
    const b: Resource = { address: "x/b/1", kind: "x/b", attributes: {}, dependsOn: ["x/a/1"] };
    expect(() => plan([a, b], new Map(), { resources: [] })).toThrow(NicError);
    expect(() => plan([a, b], new Map(), { resources: [] })).toThrow("x/a/1 → x/b/1 → x/a/1");
  });

  test("a dependency on something not desired is a provider bug", () => {
    const a: Resource = { address: "x/a/1", kind: "x/a", attributes: {}, dependsOn: ["x/missing/1"] };
    expect(() => plan([a], new Map(), { resources: [] })).toThrow("x/missing/1");
  });

  test("an address desired twice is a provider bug", () => {
    expect(() => plan([vpc, vpc], new Map(), { resources: [] })).toThrow("desired twice");
  });
});
