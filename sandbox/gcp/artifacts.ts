// Artifact Registry v1 repositories. Creates and deletes answer with a google.longrunning Operation that is not done
// yet; the first GET of it finds it done (so both gcloud and the Node clients go through their polling path).
import type { Resource } from "../world.ts";
import { T, type GcpContext } from "./context.ts";
import { alreadyExists, invalid, notFound, nowIso } from "./http.ts";

export interface Repository extends Resource {
  project: string;
  location: string;
  format: string;
  mode: string;
  description: string;
  labels: Record<string, string>;
  createTime: string;
  updateTime: string;
}

interface LongRunning {
  name: string;
  response?: unknown;
}

const ID = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const full = (r: { project: string; location: string; name?: string }) => `projects/${r.project}/locations/${r.location}/repositories/${r.name}`;
const lros = new Map<string, LongRunning>();

function render(r: Repository) {
  return { name: full(r), format: r.format, mode: r.mode, description: r.description || undefined, labels: r.labels, createTime: r.createTime, updateTime: r.updateTime, sizeBytes: "0" };
}

function operation(project: string, location: string, response: unknown) {
  const name = `projects/${project}/locations/${location}/operations/${crypto.randomUUID()}`;
  lros.set(name, { name, response });
  return { name, metadata: { "@type": "type.googleapis.com/google.devtools.artifactregistry.v1.OperationMetadata" }, done: false };
}

function get(ctx: GcpContext, project: string, location: string, id: string): Repository {
  const r = ctx.world.table<Repository>(T.repository).get(`${project}/${location}/${id}`);
  if (!r) throw notFound(`Requested entity was not found. projects/${project}/locations/${location}/repositories/${id}`);
  return r;
}

export const repositories = {
  create(ctx: GcpContext, project: string, location: string, url: URL, body: any) {
    const id = url.searchParams.get("repositoryId") ?? "";
    if (!ID.test(id)) throw invalid(`Invalid repository id "${id}".`);
    const key = `${project}/${location}/${id}`;
    if (ctx.world.table(T.repository).has(key)) throw alreadyExists(`the repository already exists: projects/${project}/locations/${location}/repositories/${id}`);
    const format = String(body.format ?? "FORMAT_UNSPECIFIED");
    if (format === "FORMAT_UNSPECIFIED") throw invalid("Repository format must be specified.");
    const now = nowIso();
    const r: Repository = {
      type: T.repository, id: key, name: id, tags: {}, project, location, format,
      mode: body.mode && body.mode !== "MODE_UNSPECIFIED" ? body.mode : "STANDARD_REPOSITORY",
      description: body.description ?? "", labels: body.labels ?? {}, createTime: now, updateTime: now,
    };
    ctx.world.put(r);
    return operation(project, location, { "@type": "type.googleapis.com/google.devtools.artifactregistry.v1.Repository", ...render(r) });
  },
  get: (ctx: GcpContext, project: string, location: string, id: string) => render(get(ctx, project, location, id)),
  list(ctx: GcpContext, project: string, location: string) {
    return { repositories: [...ctx.world.table<Repository>(T.repository).values()].filter((r) => r.project === project && r.location === location).map(render) };
  },
  patch(ctx: GcpContext, project: string, location: string, id: string, url: URL, body: any) {
    const r = get(ctx, project, location, id);
    const mask = (url.searchParams.get("updateMask") ?? "description,labels").split(",");
    if (mask.includes("description")) r.description = body.description ?? "";
    if (mask.includes("labels")) r.labels = body.labels ?? {};
    r.updateTime = nowIso();
    ctx.world.changed();
    return render(r);
  },
  delete(ctx: GcpContext, project: string, location: string, id: string) {
    const r = get(ctx, project, location, id);
    ctx.world.remove(T.repository, r.id);
    return operation(project, location, { "@type": "type.googleapis.com/google.protobuf.Empty" });
  },
};

/** True when `name` is an Artifact Registry operation (GKE's share the path shape; theirs are named operation-…). */
export const isArtifactOperation = (id: string) => !id.startsWith("operation-");

export function getArtifactOperation(project: string, location: string, id: string) {
  const name = `projects/${project}/locations/${location}/operations/${id}`;
  const op = lros.get(name);
  if (!op) throw notFound(name);
  return { name, metadata: { "@type": "type.googleapis.com/google.devtools.artifactregistry.v1.OperationMetadata" }, done: true, response: op.response };
}
