// Errors and warnings found while reading a config, each with its dotted path and line:column, reported all at once.

export type Path = (string | number)[];

export interface Problem {
  severity: "error" | "warning";
  path: string;
  line?: number;
  column?: number;
  message: string;
  expected?: string;
  found?: string;
  hint?: string;
  /** One human line: `path (line:col): message`. */
  text: string;
}

export type Locate = (path: Path) => { line: number; column: number } | undefined;

export function dotted(path: Path): string {
  return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

export class Problems {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];

  /** `strict`: everything Nebari itself rejects is an error (`nic validate --strict`). */
  constructor(
    private readonly locate: Locate = () => undefined,
    readonly strict = false,
  ) {}

  /** Something NIC accepts but Nebari rejects: a warning that says so, an error under --strict. */
  nebariRejects(path: Path, message: string, extra: Pick<Problem, "expected" | "found" | "hint"> = {}) {
    if (this.strict) this.error(path, `${message} (Nebari rejects this; --strict)`, extra);
    else this.warn(path, `${message} (Nebari rejects this; --strict makes it an error)`, extra);
  }

  /** A NIC extension Nebari has no key for: reported as a note elsewhere, an error only under --strict. */
  extension(path: Path, what: string) {
    if (this.strict) this.error(path, `is a NIC extension (${what}); Nebari rejects it (--strict)`);
  }

  error(path: Path, message: string, extra: Pick<Problem, "expected" | "found" | "hint"> = {}) {
    this.errors.push(this.make("error", path, message, extra));
  }

  warn(path: Path, message: string, extra: Pick<Problem, "expected" | "found" | "hint"> = {}) {
    this.warnings.push(this.make("warning", path, message, extra));
  }

  private make(severity: Problem["severity"], path: Path, message: string, extra: Pick<Problem, "expected" | "found" | "hint">): Problem {
    const where = this.locate(path);
    if (extra.found !== undefined) extra = { ...extra, found: cut(extra.found, 100) }; // a safety net: callers cut to 60
    const name = dotted(path) || "(root)";
    const details = [extra.expected && `expected ${extra.expected}`, extra.found !== undefined && `found ${extra.found}`].filter(Boolean).join(", ");
    const text = `${name}${where ? ` (line ${where.line}:${where.column})` : ""}: ${message}${details ? ` (${details})` : ""}${extra.hint ? `. ${extra.hint}` : ""}`;
    return { severity, path: name, ...where, message, ...extra, text };
  }
}

/** A short, safe rendering of a found value for messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return quote(value);
}

const READABLE = 60;

/** A value quoted for a message, cut to a readable length with its full length said (a 900 KB value is not echoed). */
export function quote(value: unknown): string {
  if (typeof value === "string" && value.length > READABLE) return `${JSON.stringify(value.slice(0, READABLE - 3))}... (${value.length} characters)`;
  return cut(JSON.stringify(value) ?? String(value));
}

export function cut(text: string, readable = READABLE): string {
  return text.length > readable ? `${text.slice(0, readable - 3)}... (${text.length} characters)` : text;
}
