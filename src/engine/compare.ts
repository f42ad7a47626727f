// Field-by-field comparison shared by plan (desired vs actual) and drift (state vs actual).
import { isPlainObject, isUnknown } from "./refs.ts";
import type { Attributes, Change } from "./types.ts";

/**
 * The fields where `found` differs from `managed`, as Changes with before = found and after = managed.
 * Only the top-level keys of `managed` are compared (the rest are not NIC's); below that, objects are compared
 * key by key over both sides and arrays as whole values. null and a missing value are the same.
 * Changes under an `ignore` pattern are returned separately.
 */
export function compareFields(managed: Attributes, found: Attributes | undefined, ignore: readonly string[] = []) {
  const all: Change[] = [];
  const walk = (segments: string[], before: unknown, after: unknown, keys: string[] | undefined): void => {
    const nested = isObjectLike(before) && isObjectLike(after) && (isPlainObject(before) || isPlainObject(after));
    if (keys || nested) {
      const b = isPlainObject(before) ? before : {};
      const a = isPlainObject(after) ? after : {};
      const names = keys ?? [...new Set([...Object.keys(a), ...Object.keys(b)])];
      for (const name of names) walk([...segments, name], b[name], a[name], undefined);
    } else if (!sameValue(before, after)) {
      all.push({ path: formatPath(segments), segments, before, after });
    }
  };
  walk([], found ?? {}, managed, Object.keys(managed));
  const patterns = ignore.map(parsePath);
  const isIgnored = (c: Change) => patterns.some((p) => matchesPattern(p, c.segments));
  return { changes: all.filter((c) => !isIgnored(c)), ignored: all.filter(isIgnored) };
}

/** Plain objects and nothing at all can be compared key by key; an Unknown is a leaf. */
function isObjectLike(value: unknown): boolean {
  return value == null || (isPlainObject(value) && !isUnknown(value));
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (isUnknown(a) || isUnknown(b)) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `["tags", "kubernetes.io/role"]` → `tags["kubernetes.io/role"]`; plain names join with dots. */
export function formatPath(segments: readonly string[]): string {
  return segments
    .map((s, i) => (PLAIN_SEGMENT.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`))
    .join("");
}

/** The inverse of formatPath, also accepting `*` globs inside a segment (`tags.aws:*`). */
export function parsePath(path: string): string[] {
  const segments: string[] = [];
  const pattern = /\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g;
  for (const m of path.matchAll(pattern)) segments.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : (m[2] as string));
  return segments;
}

/** A pattern matches a path it is a prefix of, segment by segment, `*` matching any run of characters. */
export function matchesPattern(pattern: readonly string[], segments: readonly string[]): boolean {
  if (pattern.length > segments.length) return false;
  return pattern.every((p, i) => globToRegExp(p).test(segments[i] as string));
}

function globToRegExp(glob: string): RegExp {
  const body = glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`);
}
