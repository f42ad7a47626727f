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

/** Besides the patterns: the session's own secrets by value, wherever they appear, and every `Bearer …` value. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = RULES.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join("[REDACTED]");
  return out.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, "$1[REDACTED]");
}

/** The values this session must never leave in a recording (its key id, secret key and session token). */
export function sessionSecrets(env: Record<string, string | undefined>): string[] {
  return [env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN].filter((v): v is string => Boolean(v));
}

export function redactExchanges(exchanges: Exchange[], secrets: readonly string[] = []): Exchange[] {
  return exchanges.map((e) => ({ ...e, key: redact(e.key, secrets), body: redact(e.body, secrets), headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k, redact(v, secrets)])) }));
}
