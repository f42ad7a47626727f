// References between resources: a desired attribute that names another resource's id, ARN or attribute.
import type { Actual, Address, Ref, Resource, Unknown } from "./types.ts";

export function ref(address: Address, field = "id"): Ref {
  return { $ref: address, field };
}

export function isRef(value: unknown): value is Ref {
  return isPlainObject(value) && typeof value.$ref === "string" && typeof value.field === "string";
}

export function unknown(ref: Ref): Unknown {
  return { $unknown: `${ref.$ref}.${ref.field}` };
}

export function isUnknown(value: unknown): value is Unknown {
  return isPlainObject(value) && typeof value.$unknown === "string";
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every address a resource needs first: its explicit dependsOn plus the targets of its refs, each once. */
export function dependenciesOf(resource: Resource): Address[] {
  const found = new Set(resource.dependsOn ?? []);
  const walk = (value: unknown): void => {
    if (isRef(value)) found.add(value.$ref);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (isPlainObject(value)) Object.values(value).forEach(walk);
  };
  walk(resource.attributes);
  return [...found];
}

/** A copy of `value` with every Ref replaced by what `lookup` returns for it. */
export function resolveRefs<T>(value: T, lookup: (ref: Ref) => unknown): T {
  const walk = (v: unknown): unknown => {
    if (isRef(v)) return lookup(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Reads a ref's field from the target's actual: `id`, `arn`, or a dotted attribute path. */
export function readField(actual: Actual, field: string): unknown {
  if (field === "id") return actual.id;
  if (field === "arn") return actual.arn;
  let value: unknown = actual.attributes;
  for (const key of field.split(".")) value = isPlainObject(value) ? value[key] : undefined;
  return value;
}
