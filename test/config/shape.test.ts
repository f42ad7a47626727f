// The config type language: every error with its path, unions reported through the member that fits the value's kind.
import { expect, test } from "bun:test";
import { arrayOf, check, exactly, jsonSchema, oneOf, recordOf, shape } from "../../src/config/shape.ts";

const group = shape({ instance: "string", "min_nodes?": "number.integer >= 0", "taints?": oneOf(arrayOf(oneOf("string", exactly({ key: "string" }))), "null") });

test("a value that fits has no errors", () => {
  expect(check(group, { instance: "m5.large", min_nodes: 0, taints: ["a=b:NoSchedule", { key: "k" }] })).toEqual([]);
  expect(check(group, { instance: "m5.large", taints: null, unknown: "top-level structs leave extra keys to the caller" })).toEqual([]);
});

test("every error at once, each with its path", () => {
  expect(check(group, { min_nodes: 1.5, taints: [7, { key: "k", extra: 1 }] })).toEqual([
    { path: ["instance"], code: "required", expected: "a string" },
    { path: ["min_nodes"], code: "type", expected: "an integer of at least 0", actual: "1.5" },
    { path: ["taints", 0], code: "type", expected: "a string or a mapping", actual: "7" },
    { path: ["taints", 1, "extra"], code: "unexpected", expected: "removed" },
  ]);
});

test("type expressions: literals, lists, records, nullable", () => {
  const access = shape("'private' | 'public' | null");
  expect(check(access, "public")).toEqual([]);
  expect(check(access, "open")[0]?.expected).toBe('"private", "public" or null');
  expect(check(shape("string[]"), ["a", 1])).toEqual([{ path: [1], code: "type", expected: "a string", actual: "1" }]);
  expect(check(recordOf("string"), { a: "x", b: false })[0]?.path).toEqual(["b"]);
  expect(() => shape("strng")).toThrow("unknown type expression");
});

test("JSON Schema of the same shape", () => {
  expect(jsonSchema(group)).toEqual({
    type: "object",
    properties: {
      instance: { type: "string" },
      min_nodes: { type: "integer", minimum: 0 },
      taints: { anyOf: [{ type: "array", items: { anyOf: [{ type: "string" }, { type: "object", properties: { key: { type: "string" } }, required: ["key"], additionalProperties: false }] } }, { type: "null" }] },
    },
    required: ["instance"],
  });
});

test("an object of definitions may have a key named kind", () => {
  const s = shape({ kind: "string", "count?": "number.integer" });
  expect(check(s, { kind: "Deployment" })).toEqual([]);
  expect(check(s, { count: 1 })).toEqual([{ path: ["kind"], code: "required", expected: "a string" }]);
});
