// YAML parsing with positions and hardening: bounded aliases, no duplicate keys, one mapping document,
// and clear messages for the two classic copy-paste accidents (a stray `...` and non-breaking-space indentation).
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import { NicError } from "../cli/errors.ts";
import { Problems, cut, type Locate, type Path } from "./problems.ts";

export const MAX_ALIAS_COUNT = 100;
/** Flow collections (`[`, `{`) nested deeper than this are refused before parsing: a nesting bomb stalls the parser. */
export const MAX_FLOW_NESTING = 64;

export interface ParsedYaml {
  data: Record<string, unknown>;
  locate: Locate;
  /** The literal source text of a scalar, e.g. `1.20` for a YAML float that would read back as 1.2. */
  sourceText(path: Path): string | undefined;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const problems = new Problems();
  scanCopyPasteAccidents(text, problems);
  scanFlowNesting(text, problems);
  if (problems.errors.length) throw invalid(file, problems);

  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  for (const e of doc.errors) {
    const at = lines.linePos(e.pos[0]);
    const message = e.message.split("\n")[0]!;
    problems.errors.push({ severity: "error", path: "(yaml)", line: at.line, column: at.col, message, text: `line ${at.line}:${at.col}: ${message}` });
  }
  findDuplicateKeys(doc, lines, problems);
  if (problems.errors.length) throw invalid(file, problems);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    const at = firstAliasLine(doc, lines);
    const message = `YAML aliases expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb?)`;
    problems.errors.push({ severity: "error", path: "(yaml)", line: at, column: 1, message, text: `line ${at}: ${message}` });
    throw invalid(file, problems, `Use fewer YAML aliases (at most ${MAX_ALIAS_COUNT} expansions).`);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== "object" || Array.isArray(data) || !isMap(doc.contents)) {
    const root = Array.isArray(data) ? "a list" : typeof data === "object" ? "not a mapping" : `a single ${typeof data} value`;
    const message = `the root of the document is ${root}; a Nebari configuration is a mapping of keys (project_name: ..., provider: ...)`;
    throw new NicError("CONFIG_INVALID", `${file}: ${message}`, {
      details: { file, errors: [{ severity: "error", path: "(root)", line: 1, column: 1, message, text: `(root) (line 1:1): ${message}` }] },
      recovery: ["Start the file with `project_name: <name>`."],
    });
  }

  const locate: Locate = (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = nodeAt(doc, path.slice(0, depth));
      if (node?.range) {
        const at = lines.linePos(node.range[0]);
        return { line: at.line, column: at.col };
      }
    }
    return undefined;
  };
  const sourceText = (path: Path) => {
    const node = doc.getIn(path, true);
    return isScalar(node) && typeof node.source === "string" ? node.source : undefined;
  };
  return { data: data as Record<string, unknown>, locate, sourceText };
}

/** The node for a path; for the last segment of a mapping it prefers the key, so errors point at the key's line. */
function nodeAt(doc: Document, path: Path): Node | undefined {
  if (path.length === 0) return doc.contents ?? undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
    return (pair?.key as Node | undefined) ?? undefined;
  }
  const node = doc.getIn(path, true);
  return node && typeof node === "object" && "range" in node ? (node as Node) : undefined;
}

/** Duplicate keys, found in linear time (the yaml library's own uniqueKeys check is quadratic in the size of a mapping). */
function findDuplicateKeys(doc: Document, lines: LineCounter, problems: Problems) {
  visit(doc, {
    Map(_, map) {
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        const line = lines.linePos((pair.key as Node).range?.[0] ?? 0).line;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, line);
          continue;
        }
        const at = lines.linePos((pair.key as Node).range?.[0] ?? 0);
        const message = `the key ${cut(JSON.stringify(key) ?? String(key))} appears twice in the same mapping (first on line ${first})`;
        problems.errors.push({ severity: "error", path: "(yaml)", line: at.line, column: at.col, message, text: `line ${at.line}:${at.col}: ${message}` });
      }
    },
  });
}

/** Counts `[`/`{` nesting outside quotes and comments, and stops at the first place it exceeds the limit. */
function scanFlowNesting(text: string, problems: Problems) {
  let depth = 0;
  let line = 1;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") line++;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\n" && quote === "#") quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]!))) quote = "#";
    else if (ch === "[" || ch === "{") {
      if (++depth > MAX_FLOW_NESTING) {
        const message = `flow collections ([ ] or { }) nest deeper than ${MAX_FLOW_NESTING} levels`;
        problems.errors.push({ severity: "error", path: "(yaml)", line, column: 1, message, text: `line ${line}: ${message}` });
        return;
      }
    } else if (ch === "]" || ch === "}") depth = Math.max(0, depth - 1);
  }
}

function scanCopyPasteAccidents(text: string, problems: Problems) {
  const lines = text.split(/\r?\n/);
  let lastContent = -1;
  lines.forEach((line, i) => {
    if (line.trim() && !line.trimStart().startsWith("#")) lastContent = i;
  });
  const nbsp = lines.flatMap((line, i) => (/^[\s\u00a0]*/.exec(line)![0].includes("\u00a0") ? [i + 1] : []));
  if (nbsp.length) {
    const listed = nbsp.length > 20 ? `${nbsp.slice(0, 20).join(", ")} and ${nbsp.length - 20} more` : nbsp.join(", ");
    const message = `indentation contains non-breaking spaces (U+00A0), usually from text copied off a web page, on line${nbsp.length === 1 ? "" : "s"} ${listed}`;
    const hint = "Replace them with ordinary spaces.";
    problems.errors.push({ severity: "error", path: "(yaml)", line: nbsp[0]!, column: 1, message, hint, text: `line ${nbsp[0]}: ${message}. ${hint}` });
  }
  lines.forEach((line, i) => {
    const at = { line: i + 1, column: 1 };
    if (/^\.\.\.\s*(#.*)?$/.test(line) && i < lastContent) {
      const message = "a stray `...` document-end marker; everything after it would be ignored or rejected";
      problems.errors.push({ severity: "error", path: "(yaml)", ...at, message, hint: "Delete the line.", text: `line ${at.line}: ${message}. Delete the line.` });
    }
  });
}

function invalid(file: string, problems: Problems, recovery = "Fix the lines listed in details.errors; `nic validate -f FILE` re-checks the file."): NicError {
  return new NicError("CONFIG_INVALID", `${file} is not valid YAML (${problems.errors.length} problem${problems.errors.length === 1 ? "" : "s"})`, {
    details: { file, errors: problems.errors },
    recovery: [recovery],
  });
}

/** Where the alias expansion starts: the first alias (`*name`) in the document. */
function firstAliasLine(doc: Document, lines: LineCounter): number {
  let line = 1;
  visit(doc, {
    Alias(_, node) {
      line = lines.linePos(node.range?.[0] ?? 0).line;
      return visit.BREAK;
    },
  });
  return line;
}
