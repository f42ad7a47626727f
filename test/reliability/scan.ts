// A secret scanner for anything NIC writes or prints (state, outputs, logs, error documents, recordings).
// It works on raw text, independently of the state's own guard (src/state/secrets.ts), so it checks that guard too.
import { readFileSync } from "node:fs";

export interface Finding {
  source: string;
  kind: string;
  /** The match with its middle masked, enough to find it without repeating it. */
  excerpt: string;
}

const PATTERNS: [string, RegExp][] = [
  ["AWS access key ID", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ["AWS secret access key", /(secret_?access_?key|SecretAccessKey)["'\s:=]+[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi],
  ["AWS session token", /(session_?token|SessionToken)["'\s:=]+[A-Za-z0-9/+=]{16,}|\b(IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{20,}/gi],
  ["EKS bearer token", /k8s-aws-v1\.[A-Za-z0-9_-]{16,}/g],
  ["bearer token", /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/gi],
  ["PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/g],
];

/** `literals` are known secret values (e.g. the sandbox's secret key) that must not appear anywhere, in any form. */
export function scanText(text: string, source: string, literals: string[] = []): Finding[] {
  const findings: Finding[] = [];
  for (const [kind, pattern] of PATTERNS) for (const m of text.matchAll(pattern)) findings.push({ source, kind, excerpt: mask(m[0]) });
  for (const secret of literals) if (secret && text.includes(secret)) findings.push({ source, kind: "known secret value", excerpt: mask(secret) });
  return findings;
}

export function scanFile(path: string, literals: string[] = []): Finding[] {
  return scanText(readFileSync(path, "utf8"), path, literals);
}

function mask(s: string): string {
  return s.length <= 12 ? `${s.slice(0, 4)}…` : `${s.slice(0, 8)}…${s.slice(-2)}`;
}
