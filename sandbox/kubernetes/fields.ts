// Field ownership for server-side apply. A field is a path to a leaf; lists are atomic leaves (owned whole).
import { applyConflict } from "./status.ts";
import { clone, isObject, type Obj } from "./patch.ts";

export type Path = string[];
export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: Map<string, Path>; // key: JSON of the path
}

/** Set by the server, so never owned by a manager. */
const SERVER_METADATA = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
  "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"]);

export function leafFields(obj: Obj): Map<string, Path> {
  const fields = new Map<string, Path>();
  const walk = (value: unknown, path: Path) => {
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    } else fields.set(JSON.stringify(path), path);
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind" || k === "status") continue;
    if (k === "metadata" && isObject(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!SERVER_METADATA.has(mk)) walk(mv, ["metadata", mk]);
    } else walk(v, [k]);
  }
  return fields;
}

export function valueAt(obj: unknown, path: Path): unknown {
  let v: any = obj;
  for (const k of path) v = isObject(v) ? v[k] : undefined;
  return v;
}

function setAt(obj: Obj, path: Path, value: unknown) {
  let v = obj;
  for (const k of path.slice(0, -1)) {
    if (!isObject(v[k])) v[k] = {};
    v = v[k];
  }
  v[path[path.length - 1]!] = clone(value);
}

function deleteAt(obj: Obj, path: Path) {
  const parent = valueAt(obj, path.slice(0, -1));
  if (isObject(parent)) delete parent[path[path.length - 1]!];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
export const renderPath = (path: Path) => path.map((k) => `.${k}`).join("");

/** How the API server names a manager in conflict messages: updaters carry their apiVersion. */
function describe(entry: ManagerEntry) {
  return entry.operation === "Update" ? `"${entry.manager}" using ${entry.apiVersion}` : `"${entry.manager}"`;
}

/**
 * Server-side apply of `config` by `manager` onto `current` (undefined when creating).
 * Fields another manager owns with a different value conflict unless `force` moves them to this manager.
 * Fields this manager applied before and no longer applies are removed unless someone else owns them.
 */
export function applyFields(current: Obj | undefined, managers: ManagerEntry[], config: Obj, manager: string, force: boolean, apiVersion: string, now: string) {
  const applied = leafFields(config);
  const others = managers.filter((m) => !(m.manager === manager && m.operation === "Apply")).map((m) => ({ ...m, fields: new Map(m.fields) }));
  const conflicts: { entry: ManagerEntry; key: string; path: Path }[] = [];
  for (const entry of others) {
    for (const [key, path] of applied) {
      if (entry.fields.has(key) && !same(valueAt(current, path), valueAt(config, path))) conflicts.push({ entry, key, path });
    }
  }
  if (conflicts.length > 0 && !force) {
    throw applyConflict(conflicts.map((c) => ({ manager: describe(c.entry), path: renderPath(c.path) })));
  }
  for (const c of conflicts) c.entry.fields.delete(c.key);

  const result: Obj = clone(current ?? {});
  const previous = managers.find((m) => m.manager === manager && m.operation === "Apply");
  for (const [key, path] of previous?.fields ?? []) {
    if (!applied.has(key) && !others.some((m) => m.fields.has(key))) deleteAt(result, path);
  }
  for (const path of applied.values()) setAt(result, path, valueAt(config, path));
  for (const k of ["apiVersion", "kind"]) if (config[k]) result[k] = config[k];

  const entry: ManagerEntry = { manager, operation: "Apply", apiVersion, time: now, fields: applied };
  return { obj: result, managers: withEntry(others, entry) };
}

/** A create, update or patch: the fields whose values changed now belong to `manager` alone. */
export function trackUpdate(old: Obj | undefined, next: Obj, managers: ManagerEntry[], manager: string, apiVersion: string, now: string, subresource?: string) {
  const before = old ? leafFields(old) : new Map<string, Path>();
  const after = leafFields(next);
  const changed = new Map<string, Path>();
  for (const [key, path] of [...before, ...after]) if (!same(valueAt(old, path), valueAt(next, path))) changed.set(key, path);
  if (changed.size === 0) return managers;
  const others = managers.map((m) => ({ ...m, fields: new Map([...m.fields].filter(([key]) => !changed.has(key))) }));
  const mine = others.find((m) => m.manager === manager && m.operation === "Update" && m.subresource === subresource);
  const fields = new Map(mine?.fields ?? []);
  for (const [key, path] of changed) if (after.has(key)) fields.set(key, path);
  const entry: ManagerEntry = { manager, operation: "Update", apiVersion, time: now, subresource, fields };
  return withEntry(others.filter((m) => m !== mine), entry);
}

function withEntry(managers: ManagerEntry[], entry: ManagerEntry) {
  return [...managers, entry].filter((m) => m.fields.size > 0);
}

/** `metadata.managedFields` as the API server renders it (FieldsV1). */
export function renderManagedFields(managers: ManagerEntry[]) {
  return managers.map((m) => {
    const fieldsV1: Obj = {};
    for (const path of m.fields.values()) {
      let node = fieldsV1;
      for (const k of path) node = node[`f:${k}`] ??= {};
    }
    return { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, time: m.time, fieldsType: "FieldsV1", fieldsV1,
      ...(m.subresource ? { subresource: m.subresource } : {}) };
  });
}

/** The reverse of renderManagedFields, for clients that write managedFields (kubectl's client-side-apply upgrade). */
export function parseManagedFields(entries: unknown): ManagerEntry[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((e: Obj) => {
    const fields = new Map<string, Path>();
    const walk = (node: Obj, path: Path) => {
      const children = Object.keys(node).filter((k) => k.startsWith("f:"));
      // A node with no named children is a leaf; `k:`/`v:` entries are list items, and lists are atomic here.
      if (children.length === 0 && path.length > 0) fields.set(JSON.stringify(path), path);
      for (const k of children) walk(node[k] ?? {}, [...path, k.slice(2)]);
    };
    walk(isObject(e.fieldsV1) ? e.fieldsV1 : {}, []);
    return { manager: String(e.manager ?? ""), operation: e.operation === "Apply" ? "Apply" : "Update", apiVersion: String(e.apiVersion ?? ""),
      time: String(e.time ?? ""), subresource: e.subresource, fields };
  });
}
