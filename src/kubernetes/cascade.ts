// Deleting a namespace or a CRD deletes what it holds. NIC deletes neither while it holds something NIC does not own.
import type { KubeClient } from "./client.ts";
import { KINDS, pathOf } from "./objects.ts";

/** Kinds whose presence means someone else runs things in a namespace (later Nebari stages, users). */
const WORKLOADS = new Set(["Deployment", "DaemonSet", "Service", "Job", "CronJob"]);
const SHOWN = 5;

interface Listed {
  items: Item[];
}

type Item = { kind?: string; metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string> } };

/** What deleting `obj` would take with it that NIC does not own, as `Kind namespace/name` (the first few). */
export async function foreignContents(client: Pick<KubeClient, "request">, kind: string, obj: any, owned: (item: Item) => boolean, signal: AbortSignal): Promise<string[]> {
  const notOurs = (list: Listed, kindName: string) =>
    list.items.filter((i) => !owned(i))
      .map((i) => `${kindName} ${i.metadata.namespace ? `${i.metadata.namespace}/` : ""}${i.metadata.name}`);
  if (kind === "Namespace") {
    const kinds = KINDS.filter((k) => WORKLOADS.has(k.kind));
    const lists = await Promise.all(kinds.map((k) => client.request<Listed>("GET", pathOf(k, obj.metadata.name), { signal })));
    return lists.flatMap((list, i) => notOurs(list, kinds[i]!.kind)).slice(0, SHOWN);
  }
  if (kind === "CustomResourceDefinition" && obj.status?.storedVersions?.length) {
    const { group, names } = obj.spec;
    const path = `/apis/${group}/${obj.status.storedVersions[0]}/${names.plural}`;
    return notOurs(await client.request<Listed>("GET", path, { query: { limit: String(SHOWN) }, signal }), names.kind);
  }
  return [];
}
