import { describe, expect, test } from "bun:test";
import { compareFields, formatPath, matchesPattern, parsePath } from "../../src/engine/compare.ts";

describe("paths", () => {
  test("format and parse are inverses, quoting keys that are not plain names", () => {
    for (const segments of [["scaling", "max_size"], ["tags", "kubernetes.io/cluster/demo"], ["labels", 'a"b']]) {
      expect(parsePath(formatPath(segments))).toEqual(segments);
    }
    expect(formatPath(["tags", "kubernetes.io/cluster/demo"])).toBe('tags["kubernetes.io/cluster/demo"]');
  });

  test("a pattern matches the paths it is a prefix of, with * inside a segment", () => {
    expect(matchesPattern(parsePath("tags.aws:*"), ["tags", "aws:cloudformation:stack-id"])).toBe(true);
    expect(matchesPattern(parsePath("tags.aws:*"), ["tags", "Project"])).toBe(false);
    expect(matchesPattern(parsePath("scaling"), ["scaling", "desired_size"])).toBe(true);
    expect(matchesPattern(parsePath("scaling.desired_size"), ["scaling"])).toBe(false);
  });
});

describe("compareFields", () => {
  test("null and missing are the same; arrays compare in order; only managed top-level keys count", () => {
    const { changes } = compareFields(
      { kms_arn: null, instance_types: ["m5.large", "m5.xlarge"], taints: [] },
      { instance_types: ["m5.xlarge", "m5.large"], taints: [], status: "ACTIVE" },
    );
    expect(changes.map((c) => c.path)).toEqual(["instance_types"]);
  });

  test("nested objects compare key by key on both sides", () => {
    const { changes } = compareFields({ labels: { a: "1" } }, { labels: { a: "1", b: "2" } });
    expect(changes).toEqual([{ path: "labels.b", segments: ["labels", "b"], before: "2", after: undefined }]);
  });
});
