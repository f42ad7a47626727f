// The three update patches: JSON merge patch (RFC 7386), strategic merge (treated as merge), JSON patch (RFC 6902).
import { KubeError, badRequest } from "./status.ts";

export type Obj = Record<string, any>;

export const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => structuredClone(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Obj = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Strategic merge without schema: drop the `$…` directives, then merge. Lists are replaced, as in a merge patch. */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  const strip = (v: unknown): unknown =>
    isObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("$")).map(([k, x]) => [k, strip(x)])) : v;
  return mergePatch(target, strip(patch));
}

const pointer = (path: string) =>
  path === "" ? [] : path.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));

const patchFailed = (message: string) => new KubeError(422, "Invalid", message);

function parentOf(doc: unknown, path: string): { parent: any; key: string } {
  const keys = pointer(path);
  if (keys.length === 0) throw patchFailed(`invalid JSON patch path "${path}"`);
  let parent: any = doc;
  for (const k of keys.slice(0, -1)) {
    parent = parent?.[Array.isArray(parent) ? Number(k) : k];
    if (parent === undefined || typeof parent !== "object") throw patchFailed(`doc is missing path: "${path}": missing value`);
  }
  return { parent, key: keys[keys.length - 1]! };
}

function read(doc: unknown, path: string): unknown {
  let v: any = doc;
  for (const k of pointer(path)) {
    v = v?.[Array.isArray(v) ? Number(k) : k];
    if (v === undefined) throw patchFailed(`doc is missing path: "${path}": missing value`);
  }
  return v;
}

function remove(doc: unknown, path: string) {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (key in parent) delete parent[key];
  else throw patchFailed(`doc is missing path: "${path}": missing value`);
}

function add(doc: unknown, path: string, value: unknown) {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(key === "-" ? parent.length : Number(key), 0, clone(value));
  else parent[key] = clone(value);
}

export function jsonPatch(target: Obj, ops: unknown): Obj {
  if (!Array.isArray(ops)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  const doc = clone(target);
  for (const op of ops as { op: string; path: string; from?: string; value?: unknown }[]) {
    switch (op.op) {
      case "add": add(doc, op.path, op.value); break;
      case "remove": remove(doc, op.path); break;
      case "replace": read(doc, op.path); remove(doc, op.path); add(doc, op.path, op.value); break;
      case "move": { const v = read(doc, op.from!); remove(doc, op.from!); add(doc, op.path, v); break; }
      case "copy": add(doc, op.path, read(doc, op.from!)); break;
      case "test":
        if (JSON.stringify(read(doc, op.path)) !== JSON.stringify(op.value)) throw patchFailed(`testing value ${op.path} failed: test failed`);
        break;
      default: throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
