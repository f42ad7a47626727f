// Redaction of recorded AWS conversations, so a recording can be attached to a bug report.
// Request keys never hold headers (no signatures or credentials); response bodies are scrubbed of anything secret-looking.
import type { Exchange } from "./recording.ts";

const RULES: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, "[REDACTED PRIVATE KEY]"],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, "$1[REDACTED]"],
  [/(<(SecretAccessKey|SessionToken)>)[^<]*(<\/\2>)/g, "$1[REDACTED]$3"],
  [/("(SecretAccessKey|SessionToken|secretAccessKey|sessionToken|password|token)"\s*:\s*")[^"]*"/g, '$1[REDACTED]"'],
  [/k8s-aws-v1\.[A-Za-z0-9_-]+/g, "k8s-aws-v1.[REDACTED]"],
];

export function redact(text: string): string {
  return RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

export function redactExchanges(exchanges: Exchange[]): Exchange[] {
  return exchanges.map((e) => ({ ...e, key: redact(e.key), body: redact(e.body) }));
}
