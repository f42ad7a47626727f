// The secrets guard: a state that holds a credential is refused before it reaches any backend.
// The cluster CA certificate is public by design and allowed; so is any PEM certificate.
import { NicError } from "../cli/errors.ts";

export interface SecretFinding {
  path: string;
  reason: string;
}

const VALUE_PATTERNS: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "looks like a PEM private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "looks like an AWS access key ID"],
  [/^(IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{40,}$/, "looks like an AWS session token"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/i, "looks like a bearer token"],
  [/^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/, "looks like a JSON web token"],
  [/^ya29\.[A-Za-z0-9._-]{20,}$/, "looks like a Google OAuth access token"],
  [/\bAccountKey=[A-Za-z0-9/+=]{20,}/, "looks like an Azure storage connection string"],
  [/[?&]sig=[A-Za-z0-9%/+=]{20,}/, "looks like an Azure SAS token"],
];
/** Field names whose non-empty string value is a credential, whatever it looks like. */
const SECRET_KEYS = /(secret|password|passwd|private_?key|session_?token|access_?token|refresh_?token|bearer|api_?key|client_?key|account_?key|kubeconfig|credentials?)$/i;
/** An AWS secret access key: 40 characters of base64 alphabet, under a field that names an access key. */
const AWS_SECRET_KEY_FIELD = /access_?key/i;
const AWS_SECRET_KEY_VALUE = /^[A-Za-z0-9/+]{40}$/;
const BASE64_PEM = /^LS0tLS1CRUdJTi/; // base64 of "-----BEGIN"

export function findSecrets(value: unknown, path = ""): SecretFinding[] {
  if (typeof value === "string") return inspectString(value, path);
  if (Array.isArray(value)) return value.flatMap((item, i) => findSecrets(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const findings: SecretFinding[] = [];
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof child === "string" && child !== "" && SECRET_KEYS.test(key)) findings.push({ path: at, reason: `the field name "${key}" marks a credential` });
    else if (typeof child === "string" && AWS_SECRET_KEY_FIELD.test(key) && AWS_SECRET_KEY_VALUE.test(child)) findings.push({ path: at, reason: "looks like an AWS secret access key" });
    else findings.push(...findSecrets(child, at));
  }
  return findings;
}

function inspectString(value: string, path: string): SecretFinding[] {
  const text = BASE64_PEM.test(value) ? decodeBase64(value) : value;
  for (const [pattern, reason] of VALUE_PATTERNS) if (pattern.test(text)) return [{ path, reason }];
  return [];
}

function decodeBase64(value: string): string {
  try {
    return Buffer.from(value, "base64").toString("utf8");
  } catch {
    return value;
  }
}

/** Throws STATE_INVALID naming every field that looks like a credential (never the value itself). */
export function assertNoSecrets(state: unknown, target: string): void {
  const findings = findSecrets(state);
  if (!findings.length) return;
  throw new NicError("STATE_INVALID", `Refusing to write a state that contains credentials to ${target}`, {
    details: { target, errors: findings.map((f) => ({ path: f.path, text: `${f.path}: ${f.reason}` })) },
    recovery: ["State is stored in plain text and shared; keep credentials in the cloud's credential chain or a secret store, never in resource attributes."],
  });
}
