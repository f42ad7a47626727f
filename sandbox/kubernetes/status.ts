// Errors in the API server's own shape: a `kind: Status` body with reason, code and details.
import type { ResourceType } from "./resources.ts";

export interface StatusCause { reason?: string; message: string; field?: string; type?: string }
export interface StatusDetails { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number }

export class KubeError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusDetails) {
    super(message);
  }
  body() {
    return statusBody("Failure", this.code, this.message, this.reason, this.details);
  }
}

export function statusBody(status: "Success" | "Failure", code: number, message: string | undefined, reason?: string, details?: StatusDetails) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status, message, reason, details, code };
}

/** The API server names the resource (plural), not the kind, in `details.kind` and in messages. */
function qualified(t: ResourceType) {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}
function detailsOf(t: ResourceType, name: string): StatusDetails {
  return t.group ? { name, group: t.group, kind: t.plural } : { name, kind: t.plural };
}

export const notFound = (t: ResourceType, name: string) =>
  new KubeError(404, "NotFound", `${qualified(t)} "${name}" not found`, detailsOf(t, name));

export const alreadyExists = (t: ResourceType, name: string) =>
  new KubeError(409, "AlreadyExists", `${qualified(t)} "${name}" already exists`, detailsOf(t, name));

export const modified = (t: ResourceType, name: string) =>
  new KubeError(409, "Conflict",
    `Operation cannot be fulfilled on ${qualified(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(t, name));

export function invalid(kind: string, group: string, name: string, causes: { field: string; type: string; detail: string; value?: unknown }[]) {
  const said = (c: (typeof causes)[number]) => `${c.type}${c.value === undefined ? "" : `: ${JSON.stringify(c.value)}`}: ${c.detail}`;
  const text = causes.map((c) => `${c.field}: ${said(c)}`);
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new KubeError(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(", ")}]`}`, {
    name, group: group || undefined, kind,
    causes: causes.map((c) => ({ reason: `FieldValue${c.type.split(" ")[0]}`, message: said(c), field: c.field })),
  });
}

export const badRequest = (message: string) => new KubeError(400, "BadRequest", message);
export const unauthorized = () => new KubeError(401, "Unauthorized", "Unauthorized");
export const methodNotAllowed = () => new KubeError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
export const pathNotFound = () => new KubeError(404, "NotFound", "the server could not find the requested resource");

export const namespaceTerminating = (t: ResourceType, name: string, namespace: string) =>
  new KubeError(403, "Forbidden",
    `${qualified(t)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    { ...detailsOf(t, name), causes: [{ reason: "NamespaceTerminating", message: `namespace ${namespace} is being terminated`, field: "metadata.namespace" }] });

export function namespaceNotFound(namespace: string) {
  return new KubeError(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" });
}

/** Server-side apply conflicts, worded as the API server words them. */
export function applyConflict(conflicts: { manager: string; path: string }[]) {
  const causes = conflicts.map((c) => ({ type: "FieldManagerConflict", message: `conflict with ${c.manager}`, field: c.path }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${conflicts[0]!.manager}: ${conflicts[0]!.path}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
    const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new KubeError(409, "Conflict", message, { causes });
}
