// gcp/project_iam_member: one role for the node service account in the project's IAM policy. Every change is a
// read-modify-write of the whole policy guarded by its etag (ABORTED when someone else wrote first: read again and
// retry), and touches only this member of this role: other members and roles are never clobbered.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import { sleep } from "../../../engine/retry.ts";
import type { GcpClients } from "../clients.ts";
import { gcpReason } from "../errors.ts";

type Binding = { role: string; members?: string[]; condition?: unknown };
type Policy = { version?: number; etag?: string; bindings?: Binding[] };
const ETAG_RETRY_MS = 2 * 60_000;

export function projectIamMemberKind(gcp: GcpClients): ResourceKind {
  const getPolicy = (project: string, signal?: AbortSignal) =>
    gcp.rest<Policy>("cloudresourcemanager", "POST", `v1/projects/${project}:getIamPolicy`, { options: { requestedPolicyVersion: 3 } }, signal);

  /** Read, change, write with the etag read; again from the top when another writer got in between. */
  async function modify(project: string, change: (bindings: Binding[]) => Binding[], signal: AbortSignal): Promise<void> {
    const start = Date.now();
    for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
      const policy = await getPolicy(project, signal);
      try {
        await gcp.rest("cloudresourcemanager", "POST", `v1/projects/${project}:setIamPolicy`, { policy: { ...policy, version: policy.version ?? 1, bindings: change(policy.bindings ?? []) } }, signal);
        return;
      } catch (err) {
        if (gcpReason(err) !== "ABORTED" || Date.now() - start > ETAG_RETRY_MS) throw err;
        await sleep(delay * (0.5 + Math.random() / 2), signal);
      }
    }
  }

  const memberOf = (a: Record<string, unknown>) => `serviceAccount:${a.service_account}`;
  /** Terraform's id for google_project_iam_member: `<project>/<role>/<member>`. */
  const idOf = (project: string, role: string, member: string) => `${project}/${role}/${member}`;

  return {
    kind: "gcp/project_iam_member",
    // Adding a member already in its binding changes nothing.
    createsOnce: true,
    timeoutMs: 5 * 60_000,
    // One policy per project: NIC's own writes go one at a time, so they never race each other's etags.
    serialKey: (_address, a) => `iam-policy:${a.project}`,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      const projects = [...new Set(batch.map((l) => String((l.desired ?? l.tracked)!.attributes.project)))];
      const policies = new Map(await Promise.all(projects.map(async (p) => [p, await getPolicy(p, signal)] as const)));
      for (const l of batch) {
        const a = (l.desired?.attributes ?? l.tracked?.attributes)!;
        // Before the service account exists its email is unknown; the state's record (or Terraform's id) names it after.
        const fromId = l.tracked?.id.match(/\/serviceAccount:(.+)$/)?.[1];
        const email = typeof a.service_account === "string" ? a.service_account : (l.tracked?.attributes.service_account ?? fromId);
        if (typeof email !== "string") continue;
        const project = String(a.project);
        const role = String(a.role);
        const member = `serviceAccount:${email}`;
        const bound = (policies.get(project)!.bindings ?? []).some((b) => b.role === role && !b.condition && b.members?.includes(member));
        if (bound) out.set(l.address, { id: idOf(project, role, member), attributes: { project, role, service_account: email } });
      }
      return out;
    },
    async create(resource, { signal }) {
      const a = resource.attributes as { project: string; role: string; service_account: string };
      const member = memberOf(a);
      await modify(a.project, (bindings) => {
        const binding = bindings.find((b) => b.role === a.role && !b.condition);
        if (!binding) return [...bindings, { role: a.role, members: [member] }];
        if (!binding.members?.includes(member)) binding.members = [...(binding.members ?? []), member];
        return bindings;
      }, signal);
      return { id: idOf(a.project, a.role, member), attributes: { ...a } };
    },
    async update(_resource, actual) {
      return actual; // every field is immutable
    },
    async delete(actual, { signal }) {
      const a = actual.attributes as { project: string; role: string; service_account: string };
      const member = memberOf(a);
      // A service account deleted first leaves its member renamed `deleted:serviceAccount:<email>?uid=…`.
      const ours = (m: string) => m === member || m.startsWith(`deleted:${member}?uid=`);
      await modify(a.project, (bindings) =>
        bindings.map((b) => (b.role === a.role && !b.condition ? { ...b, members: (b.members ?? []).filter((m) => !ours(m)) } : b)).filter((b) => (b.members ?? []).length > 0), signal);
    },
  };
}
