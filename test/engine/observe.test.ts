import { expect, test } from "bun:test";
import { observe } from "../../src/engine/observe.ts";
import type { Lookup, ResourceKind } from "../../src/engine/types.ts";
import { resource } from "./fake-cloud.ts";

test("observe asks each kind once, with every desired and tracked address of that kind", async () => {
  const batches: Record<string, Lookup[]> = {};
  const kind = (name: string): ResourceKind => ({
    kind: name,
    timeoutMs: 1000,
    observe: async (batch) => {
      batches[name] = [...(batches[name] ?? []), ...batch];
      return new Map(batch.map((l) => [l.address, { id: l.tracked?.id ?? `new-${l.address}`, attributes: {} }]));
    },
    create: async () => ({ id: "", attributes: {} }),
    update: async () => ({ id: "", attributes: {} }),
    delete: async () => {},
  });
  const desired = [resource("aws/subnet/a"), resource("aws/subnet/b"), resource("aws/vpc/main")];
  const tracked = [
    { address: "aws/subnet/a", kind: "aws/subnet", id: "subnet-1", attributes: {} },
    { address: "aws/subnet/old", kind: "aws/subnet", id: "subnet-9", attributes: {} },
  ];
  const actual = await observe([kind("aws/subnet"), kind("aws/vpc")], desired, tracked, new AbortController().signal);

  expect(batches["aws/subnet"]?.map((l) => [l.address, Boolean(l.desired), l.tracked?.id])).toEqual([
    ["aws/subnet/a", true, "subnet-1"],
    ["aws/subnet/b", true, undefined],
    ["aws/subnet/old", false, "subnet-9"],
  ]);
  expect(batches["aws/vpc"]).toHaveLength(1);
  expect(actual.get("aws/subnet/old")?.id).toBe("subnet-9");
  expect(actual.size).toBe(4);
});

test("observe refuses a kind nobody registered", async () => {
  await expect(observe([], [resource("aws/vpc/main")], [], new AbortController().signal)).rejects.toThrow("aws/vpc");
});
