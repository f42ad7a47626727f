// Google's REST conventions for the GCP sandbox: the error envelope, routing by path pattern, and enums that arrive
// either as names (gcloud, apitools) or as integers (the Node GAPIC REST transport sends `enum-encoding=int`).

/** An error in Google's shape: HTTP status, canonical status name (NOT_FOUND, FAILED_PRECONDITION, ...), message. */
export class GcpError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new GcpError(404, "NOT_FOUND", `Not found: ${what}.`);
export const alreadyExists = (what: string) => new GcpError(409, "ALREADY_EXISTS", `Already exists: ${what}.`);
export const invalid = (message: string) => new GcpError(400, "INVALID_ARGUMENT", message);

/** HTTP status for a canonical status name (faults name the status; Google's table). */
export const HTTP_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400, FAILED_PRECONDITION: 400, OUT_OF_RANGE: 400, UNAUTHENTICATED: 401, PERMISSION_DENIED: 403,
  NOT_FOUND: 404, ALREADY_EXISTS: 409, ABORTED: 409, RESOURCE_EXHAUSTED: 429, CANCELLED: 499, INTERNAL: 500,
  UNKNOWN: 500, UNIMPLEMENTED: 501, UNAVAILABLE: 503, DEADLINE_EXCEEDED: 504,
};

/** Compute Engine v1's older envelope: code, message and errors[].reason (`status` holds it), no canonical status. */
export class ComputeError extends GcpError {}

export function errorResponse(err: GcpError): Response {
  if (err instanceof ComputeError) return Response.json({ error: { code: err.code, message: err.message, errors: [{ message: err.message, domain: "global", reason: err.status }] } }, { status: err.code });
  const reason = err.status === "NOT_FOUND" ? "notFound" : err.status === "ALREADY_EXISTS" ? "alreadyExists" : err.status.toLowerCase();
  return Response.json({ error: { code: err.code, message: err.message, status: err.status, errors: [{ message: err.message, domain: "global", reason }] } }, { status: err.code });
}

export interface Call {
  method: string;
  url: URL;
  params: Record<string, string>;
  body: any;
}

export interface Route {
  /** The API, as faults and the call log name it: container, iam, cloudresourcemanager, artifactregistry, compute, serviceusage. */
  service: string;
  /** The RPC name, e.g. CreateCluster. */
  action: string;
  method: string;
  /** A path pattern with `{name}` segments; `{name=**}` matches the rest of the path. */
  path: string;
  run(call: Call): unknown | Promise<unknown>;
}

interface Compiled extends Route {
  regex: RegExp;
  names: string[];
}

export function compile(routes: Route[]): (method: string, path: string) => { route: Route; params: Record<string, string> } | undefined {
  const compiled: Compiled[] = routes.map((r) => {
    const names: string[] = [];
    const source = r.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)(=\\\*\\\*)?\}/g, (_, name: string, rest?: string) => {
      names.push(name);
      return rest ? "(.+)" : "([^/:]+)";
    });
    return { ...r, regex: new RegExp(`^${source}$`), names };
  });
  return (method, path) => {
    for (const r of compiled) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (m) return { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
    }
    return undefined;
  };
}

/** Enum values by field name, in proto order: index i is what the integer encoding sends. */
export type EnumTable = Record<string, readonly string[]>;

/** Replace integer enums with their names, for the fields the table knows, anywhere in the body. */
export function enumNames<T>(value: T, table: EnumTable): T {
  if (Array.isArray(value)) return value.map((v) => enumNames(v, table)) as T;
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const names = table[k];
    out[k] = names && typeof v === "number" ? (names[v] ?? String(v)) : enumNames(v, table);
  }
  return out as T;
}

export const nowIso = () => new Date().toISOString();

/** Etags are bytes on the wire: valid base64 (gcloud fails to parse anything else). */
export function newEtag(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("base64");
}

/** A stable numeric id, e.g. a service account's uniqueId or a project number. */
export function numericId(digits = 21): string {
  let s = String(1 + Math.floor(Math.random() * 9));
  while (s.length < digits) s += String(Math.floor(Math.random() * 10));
  return s;
}
