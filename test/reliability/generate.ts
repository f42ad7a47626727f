// Deterministic malformed inputs: a seeded PRNG and mutators that damage text and JSON structure the way disks, editors and attackers do.

/** mulberry32: tiny, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
export type Random = ReturnType<typeof prng>;

const ODD_TEXT = ["\u0000", "\uFEFF", "\u00A0", "\t", "\r", "\n", ":", "- ", "&a", "*a", "!!binary", "{", "}", "[", "]", '"', "'", "#", "---", "...", "\\u0000", "🙂", "%YAML 1.1", "<<: *a", "? ", "|", ">"];
const ODD_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, "", " ", "x".repeat(10_000), "../../etc/passwd", "\u0000", [], {}, [[]], { "": null }, "1.2.3", "NaN", "2026-13-45T99:99:99Z"];

/** Damages text: truncation, byte flips, insertions, deletions and duplicated ranges. */
export function mutateText(text: string, r: Random): string {
  const at = r.int(text.length + 1);
  switch (r.int(6)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + String.fromCharCode(r.int(0x3000)) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + r.pick(ODD_TEXT) + text.slice(at);
    case 3:
      return text.slice(0, at) + text.slice(at + 1 + r.int(200));
    case 4: {
      const end = Math.min(text.length, at + 1 + r.int(300));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    default:
      return text.replace(/\n/g, () => (r.next() < 0.1 ? `\n${" ".repeat(r.int(4))}` : "\n"));
  }
}

/** Damages structure: one node somewhere in the document gets an unexpected value, or is removed. */
export function mutateValue(doc: unknown, r: Random): unknown {
  const copy = structuredClone(doc);
  const nodes: Array<{ parent: any; key: string | number }> = [];
  const walk = (v: unknown) => {
    if (v && typeof v === "object")
      for (const [k, child] of Object.entries(v)) {
        nodes.push({ parent: v, key: Array.isArray(v) ? Number(k) : k });
        walk(child);
      }
  };
  walk(copy);
  if (!nodes.length) return r.pick(ODD_VALUES);
  const { parent, key } = r.pick(nodes);
  if (r.next() < 0.2 && !Array.isArray(parent)) delete parent[key];
  else parent[key] = structuredClone(r.pick(ODD_VALUES));
  return copy;
}

/** Half text damage, half structural damage of a JSON document. */
export function malformedJson(valid: string, r: Random): string {
  return r.next() < 0.5 ? mutateText(valid, r) : JSON.stringify(mutateValue(JSON.parse(valid), r), null, r.int(3));
}

/** The classic YAML "billion laughs": each level refers to the previous one ten times. */
export function yamlAliasBomb(levels = 9): string {
  const lines = ['a0: &a0 ["lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
  return `project_name: bomb\nprovider: local\n${lines.join("\n")}\n`;
}

export function jsonNestingBomb(depth = 100_000): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

/** Deep nesting inside an otherwise plausible document, so it survives JSON.parse and reaches the validators. */
export function nestedInside(valid: string, depth = 5_000): string {
  const doc = JSON.parse(valid);
  let deep: unknown = "x";
  for (let i = 0; i < depth; i++) deep = { a: [deep] };
  doc.nested_bomb = deep;
  return JSON.stringify(doc);
}

export function yamlNestingBomb(depth = 5_000): string {
  return `project_name: bomb\nprovider: local\nlocal: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
}
