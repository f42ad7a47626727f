// Label selectors as the API server parses them: =, ==, !=, in, notin, exists, !exists.
import { badRequest } from "./status.ts";

type Labels = Record<string, string>;
type Requirement = (labels: Labels) => boolean;

/** Split on commas that are not inside a `( … )` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(term: string): Requirement {
  let m = term.match(/^(\S+)\s+(in|notin)\s+\((.*)\)$/);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = new Set(list.split(",").map((v) => v.trim()));
    return op === "in" ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!);
  }
  m = term.match(/^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = term.match(/^(!?)([^!=\s(),]+)$/);
  if (m) {
    const [, not, key] = m as unknown as [string, string, string];
    return not ? (l) => !(key in l) : (l) => key in l;
  }
  throw badRequest(`unable to parse requirement: ${term}`);
}

/** A predicate over an object's labels; an empty selector matches everything. */
export function parseLabelSelector(selector: string | null): (labels: Labels | undefined) => boolean {
  const requirements = splitTerms(selector ?? "").map(parseTerm);
  return (labels) => requirements.every((r) => r(labels ?? {}));
}

/** Field selectors: only metadata.name and metadata.namespace, which is what clients use. */
export function parseFieldSelector(selector: string | null): (obj: { metadata: { name: string; namespace?: string } }) => boolean {
  const requirements = splitTerms(selector ?? "").map((term) => {
    const m = term.match(/^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(\S*)$/);
    if (!m) throw badRequest(`field label not supported: ${term.split(/[!=]/)[0]}`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = (o: { metadata: { name: string; namespace?: string } }) => (field === "metadata.name" ? o.metadata.name : o.metadata.namespace ?? "");
    return (o: { metadata: { name: string; namespace?: string } }) => (op === "!=" ? read(o) !== value : read(o) === value);
  });
  return (obj) => requirements.every((r) => r(obj));
}
