// YAML parsing with positions and hardening: bounded aliases, no duplicate keys, one mapping document,
// and clear messages for the two classic copy-paste accidents (a stray `...` and non-breaking-space indentation).
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import { NicError } from "../cli/errors.ts";
import { Problems, type Locate, type Path } from "./problems.ts";

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
  } catch (err) {
    throw new NicError("CONFIG_INVALID", `${file}: ${(err as Error).message}`, {
      details: { file, errors: [{ path: "(yaml)", message: "too many alias expansions (a YAML alias bomb?)", text: "YAML aliases expand too much" }] },
      recovery: [`Use fewer YAML aliases (at most ${MAX_ALIAS_COUNT} expansions).`],
    });
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== "object" || Array.isArray(data) || !isMap(doc.contents)) {
    throw new NicError("CONFIG_INVALID", `${file}: the document must be a mapping of keys (project_name: ..., provider: ...)`, {
      details: { file, errors: [{ path: "(root)", message: "the root is not a mapping", text: "(root): the root is not a mapping" }] },
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
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const at = lines.linePos((pair.key as Node).range?.[0] ?? 0);
        const message = `the key ${JSON.stringify(key)} appears twice in the same mapping`;
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
  lines.forEach((line, i) => {
    const at = { line: i + 1, column: 1 };
    const indent = /^[\s\u00a0]*/.exec(line)![0];
    if (indent.includes("\u00a0")) {
      const message = "indentation contains a non-breaking space (U+00A0), usually from text copied off a web page";
      problems.errors.push({ severity: "error", path: "(yaml)", ...at, message, hint: "Replace it with ordinary spaces.", text: `line ${at.line}: ${message}. Replace it with ordinary spaces.` });
    }
    if (/^\.\.\.\s*(#.*)?$/.test(line) && i < lastContent) {
      const message = "a stray `...` document-end marker; everything after it would be ignored or rejected";
      problems.errors.push({ severity: "error", path: "(yaml)", ...at, message, hint: "Delete the line.", text: `line ${at.line}: ${message}. Delete the line.` });
    }
  });
}

function invalid(file: string, problems: Problems): NicError {
  return new NicError("CONFIG_INVALID", `${file} is not valid YAML (${problems.errors.length} problem${problems.errors.length === 1 ? "" : "s"})`, {
    details: { file, errors: problems.errors },
    recovery: ["Fix the lines listed in details.errors; `nic validate -f FILE` re-checks the file."],
  });
}
