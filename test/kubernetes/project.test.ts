import { describe, expect, test } from "bun:test";
import { mergeShapes, project } from "../../src/kubernetes/project.ts";

describe("project", () => {
  test("keeps only the keys the manifest sets, through objects and list items", () => {
    const live = {
      metadata: { name: "x", uid: "u", labels: { a: "1", "kubernetes.io/metadata.name": "x" } },
      spec: { replicas: 1, strategy: { type: "RollingUpdate" }, template: { spec: { containers: [{ name: "c", image: "i", imagePullPolicy: "Always" }] } } },
      status: { phase: "Active" },
    };
    const shape = { metadata: { name: "x", labels: { a: "1" } }, spec: { template: { spec: { containers: [{ name: "c", image: "i" }] } } } };
    expect(project(live, shape)).toEqual(shape);
  });

  test("a missing field stays missing; a shorter or longer list shows as it is", () => {
    expect(project({ spec: {} }, { spec: { replicas: 1 } })).toEqual({ spec: {} });
    expect(project({ l: [{ a: 1, b: 2 }] }, { l: [{ a: 1 }, { a: 2 }] })).toEqual({ l: [{ a: 1 }] });
    expect(project({ l: [{ a: 1 }, { a: 2, b: 3 }] }, { l: [{ a: 1 }] })).toEqual({ l: [{ a: 1 }, { a: 2, b: 3 }] });
  });
});

describe("mergeShapes", () => {
  test("a field only the state's record has is kept, so dropping it from the manifest is a change", () => {
    const desired = { metadata: { labels: { a: "1" } } };
    const tracked = { metadata: { labels: { a: "1", old: "x" }, annotations: { n: "v" } } };
    const shape = mergeShapes(desired, tracked);
    expect(shape).toEqual({ metadata: { labels: { a: "1", old: "x" }, annotations: { n: "v" } } });
    expect(project({ metadata: { labels: { a: "1", old: "x", other: "y" } } }, shape)).toEqual({ metadata: { labels: { a: "1", old: "x" } } });
    expect(mergeShapes(undefined, tracked)).toEqual(tracked);
    expect(mergeShapes({ l: [{ a: 1 }] }, { l: [{ b: 2 }, { c: 3 }] })).toEqual({ l: [{ a: 1, b: 2 }, { c: 3 }] });
  });
});
