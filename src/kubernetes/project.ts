// Projection: a live object cut down to the fields a manifest sets, so that what the API server adds
// (defaults, status, managedFields, uid) never shows as a difference.
import { isPlainObject } from "../engine/refs.ts";

/** `live` restricted to the keys present in `shape`, recursively; list items are matched by position. */
export function project(live: unknown, shape: unknown): unknown {
  if (isPlainObject(shape) && isPlainObject(live)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) if (live[key] !== undefined) out[key] = project(live[key], shape[key]);
    return out;
  }
  if (Array.isArray(shape) && Array.isArray(live)) return live.map((item, i) => (i < shape.length ? project(item, shape[i]) : item));
  return live;
}

/**
 * Both shapes at once: the desired manifest and the last applied one from state. A field NIC set before and no longer
 * sets then shows as a change, so an apply removes it.
 */
export function mergeShapes(a: unknown, b: unknown): unknown {
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = { ...b, ...a };
    for (const key of Object.keys(a)) if (key in b) out[key] = mergeShapes(a[key], b[key]);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (i < a.length && i < b.length ? mergeShapes(a[i], b[i]) : (a[i] ?? b[i])));
  }
  return a ?? b;
}
