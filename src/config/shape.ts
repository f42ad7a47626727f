// A small type language for the config shapes: the few forms Nebari's keys need ("string | null", "number.integer >= 0",
// "'a' | 'b'", "string[]", "Record<string, string>", exact nested objects), with a checker that reports every error
// with its path, and a JSON Schema. Written here because a validation library costs a CLI ~150 ms on every start (bun-lab §2.2).

export type Shape =
  | { kind: "string" | "boolean" | "number" | "null" | "object" }
  | { kind: "integer"; min?: number }
  | { kind: "literal"; value: string }
  | { kind: "array"; of: Shape }
  | { kind: "record"; of: Shape }
  | { kind: "struct"; fields: Record<string, Shape>; optional: Set<string>; exact: boolean }
  | { kind: "union"; of: Shape[] };

/** A definition: a type expression, a built Shape, or an object of definitions (keys ending in `?` are optional). */
export type Definition = string | Shape | { readonly [key: string]: Definition };

export interface ShapeError {
  path: (string | number)[];
  code: "required" | "type" | "unexpected";
  expected: string;
  actual?: string;
}

/** Shapes made by the functions below, told apart from objects of definitions (which may well have a `kind` key). */
const built = new WeakSet<object>();
const made = (s: Shape): Shape => (built.add(s), s);

export function shape(def: Definition, exact = false): Shape {
  if (typeof def === "string") return parse(def);
  if (built.has(def)) return def as Shape;
  const fields: Record<string, Shape> = {};
  const optional = new Set<string>();
  for (const [key, value] of Object.entries(def as Record<string, Definition>)) {
    const name = key.endsWith("?") ? key.slice(0, -1) : key;
    if (name !== key) optional.add(name);
    fields[name] = shape(value);
  }
  return made({ kind: "struct", fields, optional, exact });
}

/** An object that allows no keys but its own. */
export const exactly = (def: Record<string, Definition>): Shape => shape(def, true);
export const arrayOf = (of: Definition): Shape => made({ kind: "array", of: shape(of) });
export const recordOf = (of: Definition): Shape => made({ kind: "record", of: shape(of) });
export const oneOf = (...of: Definition[]): Shape => made({ kind: "union", of: of.map((d) => shape(d)) });

function parse(expression: string): Shape {
  const members = expression.split("|").map((m) => m.trim());
  return members.length === 1 ? atom(members[0]!) : { kind: "union", of: members.map(atom) };
}

function atom(text: string): Shape {
  if (text.endsWith("[]")) return { kind: "array", of: atom(text.slice(0, -2)) };
  if (text === "Record<string, string>") return { kind: "record", of: { kind: "string" } };
  if (/^'[^']*'$/.test(text)) return { kind: "literal", value: text.slice(1, -1) };
  const integer = /^number\.integer(?:\s*>=\s*(-?\d+))?$/.exec(text);
  if (integer) return integer[1] === undefined ? { kind: "integer" } : { kind: "integer", min: Number(integer[1]) };
  if (["string", "boolean", "number", "null", "object"].includes(text)) return { kind: text as "string" };
  throw new Error(`unknown type expression in a config shape: ${text}`);
}

/** Every way `value` fails `s`; empty when it fits. */
export function check(s: Shape, value: unknown, path: (string | number)[] = []): ShapeError[] {
  switch (s.kind) {
    case "union": {
      if (s.of.some((m) => check(m, value).length === 0)) return [];
      // When exactly one member takes values of this basic type, its own errors say more than the union's name.
      const candidates = s.of.filter((m) => sameBasicType(m, value));
      return candidates.length === 1 ? check(candidates[0]!, value, path) : [typeError(s, value, path)];
    }
    case "array":
      return Array.isArray(value) ? value.flatMap((item, i) => check(s.of, item, [...path, i])) : [typeError(s, value, path)];
    case "record":
      return isMapping(value) ? Object.entries(value).flatMap(([k, v]) => check(s.of, v, [...path, k])) : [typeError(s, value, path)];
    case "struct": {
      if (!isMapping(value)) return [typeError(s, value, path)];
      const errors: ShapeError[] = [];
      for (const [key, field] of Object.entries(s.fields)) {
        if (value[key] !== undefined) errors.push(...check(field, value[key], [...path, key]));
        else if (!s.optional.has(key)) errors.push({ path: [...path, key], code: "required", expected: describe(field) });
      }
      if (s.exact) for (const key of Object.keys(value)) if (!(key in s.fields)) errors.push({ path: [...path, key], code: "unexpected", expected: "removed" });
      return errors;
    }
    default:
      return fitsLeaf(s, value) ? [] : [typeError(s, value, path)];
  }
}

function fitsLeaf(s: Shape, value: unknown): boolean {
  switch (s.kind) {
    case "string":
    case "boolean":
      return typeof value === s.kind;
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value) && (s.min === undefined || (value as number) >= s.min);
    case "null":
      return value === null;
    case "object":
      return isMapping(value);
    case "literal":
      return value === s.value;
    default:
      throw new Error(`${s.kind} is not a leaf shape`);
  }
}

function sameBasicType(s: Shape, value: unknown): boolean {
  if (["struct", "record", "object"].includes(s.kind)) return isMapping(value);
  if (s.kind === "array") return Array.isArray(value);
  if (s.kind === "integer" || s.kind === "number") return typeof value === "number";
  if (s.kind === "literal") return typeof value === "string";
  return s.kind === "null" ? value === null : typeof value === s.kind;
}

function typeError(s: Shape, value: unknown, path: (string | number)[]): ShapeError {
  return { path, code: "type", expected: describe(s), actual: describeValue(value) };
}

export function describe(s: Shape): string {
  switch (s.kind) {
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "number":
      return "a number";
    case "integer":
      return s.min === undefined ? "an integer" : `an integer of at least ${s.min}`;
    case "null":
      return "null";
    case "object":
    case "struct":
      return "a mapping";
    case "literal":
      return JSON.stringify(s.value);
    case "array":
      return `a list of ${plural(describe(s.of))}`;
    case "record":
      return `a mapping of ${plural(describe(s.of))}`;
    case "union": {
      const parts = s.of.map(describe);
      return parts.length <= 2 ? parts.join(" or ") : `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}`;
    }
  }
}

const plural = (text: string) => text.replace(/^an? (\w+)/, "$1s").replace(/^true or false$/, "booleans");

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isMapping(value)) return "a mapping";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function jsonSchema(s: Shape): Record<string, unknown> {
  switch (s.kind) {
    case "integer":
      return s.min === undefined ? { type: "integer" } : { type: "integer", minimum: s.min };
    case "literal":
      return { const: s.value };
    case "array":
      return { type: "array", items: jsonSchema(s.of) };
    case "record":
      return { type: "object", additionalProperties: jsonSchema(s.of) };
    case "struct": {
      const required = Object.keys(s.fields).filter((k) => !s.optional.has(k));
      return {
        type: "object",
        properties: Object.fromEntries(Object.entries(s.fields).map(([k, f]) => [k, jsonSchema(f)])),
        ...(required.length && { required }),
        ...(s.exact && { additionalProperties: false }),
      };
    }
    case "union":
      return { anyOf: s.of.map(jsonSchema) };
    default:
      return { type: s.kind };
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
