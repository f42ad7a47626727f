// gcp/service_account: the node pools' service account `<project>-<namespace>` (IAM v1 REST). Its id is its email.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { GcpClients } from "../clients.ts";
import { isAlreadyExists, orNotFound } from "../errors.ts";

type Account = { email: string; name: string; uniqueId: string; displayName?: string; projectId: string };

export const serviceAccountEmail = (accountId: string, project: string) => `${accountId}@${project}.iam.gserviceaccount.com`;

export function serviceAccountKind(gcp: GcpClients): ResourceKind {
  const path = (project: string, email: string) => `v1/projects/${project}/serviceAccounts/${encodeURIComponent(email)}`;
  const toActual = (a: Account): Actual => ({
    id: a.email,
    arn: a.name,
    attributes: { project: a.projectId, account_id: a.email.split("@")[0], display_name: a.displayName ?? "", email: a.email, unique_id: a.uniqueId },
  });
  const read = async (project: string, email: string, signal?: AbortSignal) =>
    orNotFound(() => gcp.rest<Account>("iam", "GET", path(project, email), undefined, signal)).then((a) => a && toActual(a));

  return {
    kind: "gcp/service_account",
    // Created by account id: a second create is ALREADY_EXISTS, and create() adopts the first.
    createsOnce: true,
    timeoutMs: 5 * 60_000,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(batch.map(async (l) => {
        const a = (l.desired?.attributes ?? l.tracked?.attributes)!;
        const actual = await read(String(a.project), l.tracked?.id ?? serviceAccountEmail(String(a.account_id), String(a.project)), signal);
        if (actual) out.set(l.address, actual);
      }));
      return out;
    },
    async create(resource, { signal }) {
      const a = resource.attributes as { project: string; account_id: string; display_name: string };
      try {
        return toActual(await gcp.rest<Account>("iam", "POST", `v1/projects/${a.project}/serviceAccounts`, { accountId: a.account_id, serviceAccount: { displayName: a.display_name } }, signal));
      } catch (err) {
        // A retried create after a lost answer: adopt what the first call made.
        if (isAlreadyExists(err)) return (await read(a.project, serviceAccountEmail(a.account_id, a.project), signal))!;
        throw err;
      }
    },
    async update(resource, actual, _changes, { signal }) {
      const a = resource.attributes as { project: string; display_name: string };
      return toActual(await gcp.rest<Account>("iam", "PATCH", path(a.project, actual.id), { serviceAccount: { displayName: a.display_name }, updateMask: "displayName" }, signal));
    },
    async delete(actual, { signal }) {
      await orNotFound(() => gcp.rest("iam", "DELETE", path(String(actual.attributes.project), actual.id), undefined, signal));
    },
  };
}
