// Objects that look like NIC's but are not in its state, for drift's "added": anything carrying NIC's ownership
// label, and anything in NIC's namespaces that field manager `nic` has applied to.
import type { Address } from "../engine/types.ts";
import { KubeClient, type ClusterConnection } from "./client.ts";
import { FIELD_MANAGER, KINDS, OWNER_LABEL, OWNER_VALUE, addressOf, engineKind, parseAddress, pathOf } from "./objects.ts";

export interface UnownedObject {
  address: Address;
  kind: string;
  reason: "ownership label" | "applied by nic";
}

interface Item {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; managedFields?: Array<{ manager?: string }> };
}

export async function unownedObjects(conn: ClusterConnection, tracked: Iterable<Address>, signal?: AbortSignal): Promise<UnownedObject[]> {
  const client = new KubeClient(conn);
  const known = new Set(tracked);
  const list = async (path: string, labelSelector?: string) =>
    (await client.request<{ items: Item[] }>("GET", path, { query: { labelSelector }, signal })).items;

  const owned = `${OWNER_LABEL}=${OWNER_VALUE}`;
  const labelled = await Promise.all(KINDS.map(async (k) => ({ k, items: await list(pathOf(k, undefined), owned) })));
  const namespaces = new Set<string>();
  for (const address of known) if (address.startsWith(`${engineKind("Namespace")}/`)) namespaces.add(parseAddress(address).name);
  for (const { k, items } of labelled) if (k.kind === "Namespace") for (const i of items) namespaces.add(i.metadata.name);
  const applied = await Promise.all(
    KINDS.filter((k) => k.namespaced).flatMap((k) => [...namespaces].map(async (ns) => ({ k, items: await list(pathOf(k, ns)) }))),
  );

  const found = new Map<Address, UnownedObject>();
  const add = (kind: string, item: Item, reason: UnownedObject["reason"]) => {
    const address = addressOf(kind, item.metadata.namespace, item.metadata.name);
    if (!known.has(address) && !found.has(address)) found.set(address, { address, kind: engineKind(kind), reason });
  };
  for (const { k, items } of labelled) for (const item of items) add(k.kind, item, "ownership label");
  for (const { k, items } of applied) {
    for (const item of items) if (item.metadata.managedFields?.some((m) => m.manager === FIELD_MANAGER)) add(k.kind, item, "applied by nic");
  }
  return [...found.values()].sort((a, b) => a.address.localeCompare(b.address));
}
