// IAM service accounts (v1, with the `projects/-/` wildcard) and Cloud Resource Manager project IAM policies (v1 for
// gcloud, v3 for the Node client): read-modify-write guarded by the etag, ABORTED when it is stale. Deleting a service
// account leaves `deleted:serviceAccount:…?uid=…` members in the policy, as GCP does.
import type { Resource } from "../world.ts";
import { T, type GcpContext } from "./context.ts";
import { alreadyExists, GcpError, invalid, newEtag, notFound, numericId } from "./http.ts";

export interface ServiceAccount extends Resource {
  project: string;
  email: string;
  uniqueId: string;
  displayName: string;
  description: string;
  etag: string;
}

export interface ProjectPolicy extends Resource {
  version: number;
  etag: string;
  bindings: { role: string; members: string[]; condition?: unknown }[];
}

const ACCOUNT_ID = /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/;
/** Who owns a sandbox project before anyone else touches its policy (a binding NIC must never remove). */
export const PROJECT_OWNER = "user:owner@sandbox.example.com";

function render(sa: ServiceAccount) {
  return {
    name: `projects/${sa.project}/serviceAccounts/${sa.email}`,
    projectId: sa.project,
    uniqueId: sa.uniqueId,
    email: sa.email,
    displayName: sa.displayName || undefined,
    description: sa.description || undefined,
    etag: sa.etag,
    oauth2ClientId: sa.uniqueId,
  };
}

function find(ctx: GcpContext, project: string, key: string): ServiceAccount {
  const sa = [...ctx.world.table<ServiceAccount>(T.serviceAccount).values()].find((a) => (a.email === key || a.uniqueId === key) && (project === "-" || a.project === project));
  if (!sa) throw notFound(`projects/${project}/serviceAccounts/${key}`);
  return sa;
}

export const serviceAccounts = {
  create(ctx: GcpContext, project: string, body: any) {
    const accountId = String(body.accountId ?? "");
    if (!ACCOUNT_ID.test(accountId)) throw invalid(`Invalid account ID "${accountId}": 6-30 characters, lowercase letters, digits and hyphens, starting with a letter.`);
    const email = `${accountId}@${project}.iam.gserviceaccount.com`;
    if (ctx.world.table(T.serviceAccount).has(email)) throw alreadyExists(`Service account ${accountId} already exists within project projects/${project}`);
    const sa: ServiceAccount = {
      type: T.serviceAccount, id: email, name: accountId, tags: {}, project, email, uniqueId: numericId(21),
      displayName: body.serviceAccount?.displayName ?? "", description: body.serviceAccount?.description ?? "", etag: newEtag(),
    };
    ctx.world.put(sa);
    return render(sa);
  },
  get: (ctx: GcpContext, project: string, key: string) => render(find(ctx, project, key)),
  list(ctx: GcpContext, project: string) {
    return { accounts: [...ctx.world.table<ServiceAccount>(T.serviceAccount).values()].filter((a) => a.project === project).map(render) };
  },
  patch(ctx: GcpContext, project: string, key: string, body: any) {
    const sa = find(ctx, project, key);
    const fields = String(body.updateMask ?? "displayName,description").split(",");
    if (fields.includes("displayName")) sa.displayName = body.serviceAccount?.displayName ?? "";
    if (fields.includes("description")) sa.description = body.serviceAccount?.description ?? "";
    sa.etag = newEtag();
    ctx.world.changed();
    return render(sa);
  },
  delete(ctx: GcpContext, project: string, key: string) {
    const sa = find(ctx, project, key);
    ctx.world.remove(T.serviceAccount, sa.id);
    for (const p of ctx.world.table<ProjectPolicy>(T.policy).values()) {
      for (const b of p.bindings) b.members = b.members.map((m) => (m === `serviceAccount:${sa.email}` ? `deleted:serviceAccount:${sa.email}?uid=${sa.uniqueId}` : m));
    }
    ctx.world.changed();
    return {};
  },
};

function policyOf(ctx: GcpContext, project: string): ProjectPolicy {
  const table = ctx.world.table<ProjectPolicy>(T.policy);
  let p = table.get(project);
  if (!p) {
    p = { type: T.policy, id: project, name: project, tags: {}, version: 1, etag: newEtag(), bindings: [{ role: "roles/owner", members: [PROJECT_OWNER] }] };
    ctx.world.put(p);
  }
  return p;
}

const renderPolicy = (p: ProjectPolicy) => ({ version: p.version, etag: p.etag, bindings: p.bindings.filter((b) => b.members.length) });

export const policies = {
  get: (ctx: GcpContext, project: string) => renderPolicy(policyOf(ctx, project)),
  set(ctx: GcpContext, project: string, body: any) {
    const p = policyOf(ctx, project);
    const next = body.policy ?? {};
    // Etags are bytes: gcloud sends them back in URL-safe base64, the Node clients in standard base64.
    if (next.etag && Buffer.from(next.etag, "base64").toString("hex") !== Buffer.from(p.etag, "base64").toString("hex")) {
      throw new GcpError(409, "ABORTED", "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.");
    }
    const bindings = (next.bindings ?? []) as ProjectPolicy["bindings"];
    for (const b of bindings) {
      if (!/^roles\/[A-Za-z0-9_.]+$|^(projects|organizations)\/[^/]+\/roles\/[A-Za-z0-9_.]+$/.test(String(b.role))) throw invalid(`Role ${b.role} is not supported for this resource.`);
      for (const m of b.members ?? []) if (!/^(user|serviceAccount|group|domain|deleted:serviceAccount|principal|principalSet):|^allUsers$|^allAuthenticatedUsers$/.test(m)) throw invalid(`Invalid member ${m}.`);
    }
    p.bindings = bindings.map((b) => ({ ...b, members: [...new Set(b.members ?? [])].sort() }));
    p.version = next.version ?? p.version;
    p.etag = newEtag();
    ctx.world.changed();
    return renderPolicy(p);
  },
};

export function project(projectId: string, version: "v1" | "v3") {
  const number = String([...projectId].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 900_000_000_000, 7) + 100_000_000_000);
  return version === "v1"
    ? { projectNumber: number, projectId, lifecycleState: "ACTIVE", name: projectId, createTime: "2024-01-01T00:00:00Z" }
    : { name: `projects/${number}`, projectId, state: "ACTIVE", displayName: projectId, parent: "organizations/123456789012", createTime: "2024-01-01T00:00:00Z" };
}
