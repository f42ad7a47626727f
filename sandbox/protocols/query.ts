// AWS query protocol (EC2, IAM, STS, Auto Scaling, ELB): form-encoded requests, XML responses.
import { AwsError } from "./errors.ts";

/**
 * Turn flattened query keys into nested values: "Filter.1.Value.2=x" → {Filter: [{Value: [, "x"]}]}.
 * Numeric segments are 1-based list indexes; the "member" segment of IAM-style lists is dropped.
 */
export function unflatten(params: URLSearchParams): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of params) {
    const parts = key.split(".").filter((p, i, all) => !(p === "member" && /^\d+$/.test(all[i + 1] ?? "")));
    let node: any = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const slot = /^\d+$/.test(part) ? Number(part) - 1 : part;
      if (i === parts.length - 1) node[slot] = value;
      else node = node[slot] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {};
    }
  }
  return root;
}

/** A list parameter, dense (AWS clients always send 1..N). */
export function list<T = string>(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x !== undefined) as T[]) : [];
}

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!);

/**
 * Serialise a value as XML children. Arrays become <item>/<member> children of their element,
 * or, with listItem "flat" (S3), the element itself repeated.
 */
export function toXml(value: unknown, listItem: "item" | "member" | "flat"): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<${listItem}>${toXml(v, listItem)}</${listItem}>`).join("");
  if (typeof value === "object") {
    let out = "";
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      if (listItem === "flat" && Array.isArray(v)) out += v.map((x) => `<${k}>${toXml(x, listItem)}</${k}>`).join("");
      else out += `<${k}>${toXml(v, listItem)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

const xmlHeaders = { "content-type": "text/xml;charset=UTF-8" };

/** EC2 style: <ActionResponse><requestId/>…</ActionResponse>, lists of <item>. */
export function ec2Response(action: string, body: Record<string, unknown>): Response {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${crypto.randomUUID()}</requestId>${toXml(body, "item")}</${action}Response>`;
  return new Response(xml, { headers: xmlHeaders });
}

/** IAM/STS/Auto Scaling/ELB style: <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>. */
export function queryResponse(action: string, xmlns: string, body: Record<string, unknown> | undefined): Response {
  const result = body === undefined ? "" : `<${action}Result>${toXml(body, "member")}</${action}Result>`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">${result}<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return new Response(xml, { headers: xmlHeaders });
}

export function ec2Error(err: AwsError): Response {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error></Errors><RequestID>${crypto.randomUUID()}</RequestID></Response>`;
  return new Response(xml, { status: err.status, headers: { ...xmlHeaders, ...err.headers } });
}

export function queryError(err: AwsError): Response {
  const type = err.status >= 500 ? "Receiver" : "Sender";
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`;
  return new Response(xml, { status: err.status, headers: { ...xmlHeaders, ...err.headers } });
}

/** Index-token pagination shared by the query services (NextToken / Marker). */
export function page<T>(items: T[], max: unknown, token: unknown): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError("InvalidParameterValue", `Invalid pagination token: ${token}`);
  const size = max ? Number(max) : 1000;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}
