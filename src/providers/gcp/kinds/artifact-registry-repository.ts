// gcp/artifact_registry_repository: the Docker repository `<project>-<namespace>` in the region (Artifact Registry v1
// REST; creates and deletes are long-running operations, polled to done).
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import { poll } from "../../aws/poll.ts";
import type { GcpClients } from "../clients.ts";
import { GcpApiError, isAlreadyExists, orNotFound } from "../errors.ts";

type Repository = { name: string; format: string; mode?: string; labels?: Record<string, string> };
type LongRunning = { name: string; done?: boolean; error?: { message?: string } };
const TIMEOUT_MS = 10 * 60_000;

export function artifactRegistryRepositoryKind(gcp: GcpClients): ResourceKind {
  const path = (project: string, location: string, id: string) => `v1/projects/${project}/locations/${location}/repositories/${id}`;
  const toActual = (project: string, location: string, r: Repository): Actual => {
    const id = r.name.split("/").pop()!;
    return {
      id: r.name,
      attributes: { project, location, repository_id: id, format: String(r.format), repository_url: `${location}-docker.pkg.dev/${project}/${id}` },
    };
  };
  const read = async (project: string, location: string, id: string, signal?: AbortSignal) =>
    orNotFound(() => gcp.rest<Repository>("artifactregistry", "GET", path(project, location, id), undefined, signal)).then((r) => r && toActual(project, location, r));
  const untilDone = async (op: LongRunning, what: string, signal: AbortSignal) => {
    const done = op.done ? op : await poll(what, async () => {
      const current = await gcp.rest<LongRunning>("artifactregistry", "GET", `v1/${op.name}`, undefined, signal);
      return current.done ? current : undefined;
    }, signal, TIMEOUT_MS);
    if (done.error) throw new GcpApiError(500, "OPERATION_FAILED", `${what}: ${done.error.message}`);
  };

  return {
    kind: "gcp/artifact_registry_repository",
    // Created by id: a second create is ALREADY_EXISTS, and create() adopts the first.
    createsOnce: true,
    timeoutMs: TIMEOUT_MS,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(batch.map(async (l) => {
        // By identity when there is one; an id of another shape (Container Registry's bucket, before 2025.2.1) finds nothing.
        const m = l.tracked?.id.match(/^projects\/([^/]+)\/locations\/([^/]+)\/repositories\/([^/]+)$/);
        if (l.tracked && !m) return;
        const a = m ? { project: m[1], location: m[2], repository_id: m[3] } : l.desired!.attributes;
        const actual = await read(String(a.project), String(a.location), String(a.repository_id), signal);
        if (actual) out.set(l.address, actual);
      }));
      return out;
    },
    async create(resource, { signal }) {
      const a = resource.attributes as { project: string; location: string; repository_id: string; format: string };
      try {
        const op = await gcp.rest<LongRunning>("artifactregistry", "POST", `v1/projects/${a.project}/locations/${a.location}/repositories?repositoryId=${a.repository_id}`, { format: a.format }, signal);
        await untilDone(op, `creating repository ${a.repository_id}`, signal);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      return (await read(a.project, a.location, a.repository_id, signal))!;
    },
    async update(_resource, actual) {
      return actual; // every managed field is immutable (a change replaces the repository)
    },
    async delete(actual, { signal }) {
      const a = actual.attributes as { project: string; location: string; repository_id: string };
      const op = await orNotFound(() => gcp.rest<LongRunning>("artifactregistry", "DELETE", path(a.project, a.location, a.repository_id), undefined, signal));
      if (op) await untilDone(op, `deleting repository ${a.repository_id}`, signal);
    },
  };
}
