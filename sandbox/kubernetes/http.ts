// The REST surface: URL → verb and resource, then discovery, CRUD, apply, watch, and Table output for kubectl.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import type { Cluster } from "./cluster.ts";
import { timestamp } from "./kinds.ts";
import { jsonPatch, mergePatch, strategicMergePatch, type Obj } from "./patch.ts";
import { openapiGroupVersion, openapiRoot } from "./openapi.ts";
import type { ResourceType } from "./resources.ts";
import { parseFieldSelector, parseLabelSelector } from "./selectors.ts";
import { KubeError, badRequest, invalid, methodNotAllowed, pathNotFound } from "./status.ts";

export interface Route {
  verb: string; // get list watch create update patch delete deletecollection, or "discovery"
  type?: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  discovery?: () => unknown;
}

export function route(cluster: Cluster, method: string, url: URL, kubernetesVersion: string): Route {
  const path = url.pathname.replace(/\/+$/, "");
  const doc = (discovery: () => unknown): Route => (method === "GET" ? { verb: "discovery", discovery } : { verb: "discovery", discovery: () => { throw methodNotAllowed(); } });
  if (path === "/version") return doc(() => versionInfo(kubernetesVersion));
  if (path === "/api") return doc(() => ({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: url.host }] }));
  if (path === "/apis") return doc(() => cluster.registry.groupList());
  if (["/healthz", "/livez", "/readyz"].includes(path)) return doc(() => "ok");
  if (path === "/openapi/v3") return doc(() => openapiRoot(cluster.registry));
  if (path.startsWith("/openapi/v3/")) return doc(() => openapiGroupVersion(cluster.registry, path.slice("/openapi/v3/".length)));

  const seg = path.split("/").filter(Boolean).map(decodeURIComponent);
  let group: string, version: string | undefined, rest: string[];
  if (seg[0] === "api") [group, version, rest] = ["", seg[1], seg.slice(2)];
  else if (seg[0] === "apis") [group, version, rest] = [seg[1] ?? "", seg[2], seg.slice(3)];
  else return doc(() => { throw pathNotFound(); });
  if (!version) return doc(() => { throw pathNotFound(); });
  if (rest.length === 0) return doc(() => cluster.registry.resourceList(group, version) ?? (() => { throw pathNotFound(); })());

  // namespaces/<ns>/<plural>… is inside a namespace, except a namespace's own status subresource.
  const inNamespace = rest[0] === "namespaces" && rest.length >= 3 && !(rest.length === 3 && rest[2] === "status");
  const [namespace, plural, name, subresource] = inNamespace ? [rest[1], rest[2]!, rest[3], rest[4]] : [undefined, rest[0]!, rest[1], rest[2]];
  const type = cluster.registry.find(group, version, plural);
  const unknown = !type || (namespace !== undefined && !type.namespaced) || (type.namespaced && name !== undefined && namespace === undefined) ||
    (subresource !== undefined && !type.subresources?.includes(subresource)) || (inNamespace ? rest.length > 5 : rest.length > 3);
  if (unknown) return doc(() => { throw pathNotFound(); });
  const watch = ["true", "1"].includes(url.searchParams.get("watch") ?? "");
  const verb = {
    GET: watch ? "watch" : name ? "get" : "list",
    POST: name ? "" : "create",
    PUT: name ? "update" : "",
    PATCH: name ? "patch" : "",
    DELETE: name ? "delete" : "deletecollection",
  }[method];
  if (!verb) return doc(() => { throw methodNotAllowed(); });
  return { verb, type, namespace, name, subresource };
}

function versionInfo(kubernetesVersion: string) {
  const [major = "1", minor = "31", patch = "0"] = kubernetesVersion.split(".");
  return { major, minor, gitVersion: `v${major}.${minor}.${patch}-sandbox`, gitCommit: "0000000000000000000000000000000000000000", gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z", goVersion: "go1.23.0", compiler: "gc", platform: "linux/amd64" };
}

export interface Reply { status: number; body: unknown; headers?: Record<string, string> }

/** Runs a resource request; watch requests write to `res` themselves and return undefined. */
export async function serve(cluster: Cluster, r: Route, url: URL, req: IncomingMessage, body: string, res: ServerResponse): Promise<Reply | undefined> {
  if (r.discovery) return { status: 200, body: r.discovery() };
  const t = r.type!;
  const q = url.searchParams;
  const dryRun = q.getAll("dryRun").includes("All");
  const manager = q.get("fieldManager") || (req.headers["user-agent"] ?? "unknown").split("/")[0]!;
  const wants = (table: unknown, obj: unknown) => (String(req.headers.accept ?? "").includes("as=Table") ? table : obj);
  switch (r.verb) {
    case "get": {
      const obj = cluster.get(t, r.namespace, r.name!);
      return { status: 200, body: wants(toTable(t, [obj], q.get("includeObject")), obj) };
    }
    case "list": {
      const items = selected(cluster.list(t, r.namespace), q);
      const list = { kind: `${t.kind}List`, apiVersion: t.group ? `${t.group}/${t.version}` : t.version, metadata: { resourceVersion: String(cluster.store.revision) }, items };
      return { status: 200, body: wants(toTable(t, items, q.get("includeObject")), list) };
    }
    case "watch":
      watch(cluster, r, q, res);
      return undefined;
    case "create":
      return { status: 201, body: await cluster.create(t, r.namespace, parseBody(body, req), { dryRun, manager }) };
    case "update":
      return { status: 200, body: await cluster.update(t, r.namespace, r.name!, parseBody(body, req), { dryRun, manager }, r.subresource) };
    case "patch": {
      const contentType = String(req.headers["content-type"] ?? "").split(";")[0]!.trim();
      if (contentType === "application/apply-patch+yaml") {
        const fieldManager = q.get("fieldManager");
        if (!fieldManager) {
          throw invalid("PatchOptions", "meta.k8s.io", "", [{ field: "fieldManager", type: "Required value", detail: "is required for apply requests" }]);
        }
        const force = q.get("force") === "true";
        const { obj, created } = await cluster.apply(t, r.namespace, r.name!, parseBody(body, req, true), { dryRun, manager: fieldManager, force });
        return { status: created ? 201 : 200, body: obj };
      }
      const patch = parseBody(body, req);
      const patcher = {
        "application/json-patch+json": (o: Obj) => jsonPatch(o, patch),
        "application/merge-patch+json": (o: Obj) => mergePatch(o, patch) as Obj,
        "application/strategic-merge-patch+json": (o: Obj) => strategicMergePatch(o, patch) as Obj,
      }[contentType];
      if (!patcher) throw new KubeError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
      return { status: 200, body: await cluster.patch(t, r.namespace, r.name!, patcher, { dryRun, manager }, r.subresource) };
    }
    case "delete":
      return { status: 200, body: await cluster.delete(t, r.namespace, r.name!, { dryRun, preconditions: body ? parseBody(body, req).preconditions : undefined }) };
    case "deletecollection": {
      const items = selected(cluster.list(t, r.namespace), q);
      for (const item of items) await cluster.delete(t, item.metadata.namespace, item.metadata.name, { dryRun });
      return { status: 200, body: { kind: `${t.kind}List`, apiVersion: t.group ? `${t.group}/${t.version}` : t.version, metadata: {}, items } };
    }
  }
  throw methodNotAllowed();
}

function selected(items: Obj[], q: URLSearchParams) {
  const labels = parseLabelSelector(q.get("labelSelector"));
  const fields = parseFieldSelector(q.get("fieldSelector"));
  return items.filter((o) => labels(o.metadata.labels) && fields(o as { metadata: { name: string; namespace?: string } }));
}

function parseBody(body: string, req: IncomingMessage, yaml = false): Obj {
  try {
    return yaml || String(req.headers["content-type"] ?? "").includes("yaml") ? parseYaml(body) : JSON.parse(body);
  } catch (err) {
    throw badRequest(`error decoding ${yaml ? "YAML" : "JSON"}: ${(err as Error).message}`);
  }
}

/** Streams ADDED/MODIFIED/DELETED events, one JSON object per line, until timeoutSeconds or the client leaves. */
function watch(cluster: Cluster, r: Route, q: URLSearchParams, res: ServerResponse) {
  const t = r.type!;
  const labels = parseLabelSelector(q.get("labelSelector"));
  const fields = parseFieldSelector(q.get("fieldSelector"));
  const nameMatches = (o: Obj) => !r.name || o.metadata.name === r.name;
  const relevant = (o: Obj, type: ResourceType) => type.group === t.group && type.plural === t.plural &&
    (!r.namespace || o.metadata.namespace === r.namespace) && nameMatches(o) && labels(o.metadata.labels) && fields(o as never);
  res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
  res.flushHeaders(); // clients wait for the headers before they count the watch as started
  const send = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + "\n");
  const from = q.get("resourceVersion");
  if (!from || from === "0") {
    for (const o of cluster.list(t, r.namespace)) if (relevant(o, t)) send("ADDED", o);
  } else {
    const missed = cluster.store.since(Number(from));
    if (!missed) {
      send("ERROR", { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `too old resource version: ${from}`, reason: "Expired", code: 410 });
      res.end();
      return;
    }
    for (const e of missed) if (relevant(e.stored.obj, e.stored.type)) send(e.type, cluster.view(t, e.stored.obj));
  }
  const unsubscribe = cluster.store.subscribe((e) => {
    if (relevant(e.stored.obj, e.stored.type)) send(e.type, cluster.view(t, e.stored.obj));
  });
  const timer = setTimeout(() => res.end(), Number(q.get("timeoutSeconds") ?? 1800) * 1000);
  res.on("close", () => {
    clearTimeout(timer);
    unsubscribe();
  });
}

/** kubectl asks for server-side printing (`as=Table`): name, namespace status, age. */
function toTable(t: ResourceType, items: Obj[], includeObject: string | null) {
  const extra = t.kind === "Namespace" ? [{ name: "Status", type: "string", format: "", description: "The status of the namespace", priority: 0 }] : [];
  return {
    kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: {},
    columnDefinitions: [
      { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 },
      ...extra,
      { name: "Age", type: "string", format: "", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", priority: 0 },
    ],
    rows: items.map((o) => ({
      cells: [o.metadata.name, ...(extra.length ? [o.status?.phase ?? ""] : []), age(o.metadata.creationTimestamp)],
      object: includeObject === "None" ? undefined : includeObject === "Object" ? o : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata },
    })),
  };
}

function age(created: string) {
  const s = Math.max(0, Math.floor((Date.parse(timestamp()) - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h` : `${Math.floor(h / 24)}d`;
}
