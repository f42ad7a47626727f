// Shared by the EC2 kinds: batched lookup (tracked ids first, then Name tags), tag specifications and tag updates.
import type { Address, Lookup } from "../../../engine/types.ts";
import type { Ec2 } from "../clients.ts";
import { hasTagChanges, tagChanges, tagList, type Tags } from "../tags.ts";

type Filter = { Name: string; Values: string[] };

/**
 * Finds every address of a batch in at most two calls: one by the ids in state (`idFilter`), one by the Name tag of
 * what is still missing. `describe` must read all pages.
 */
export async function findByIdOrName<T>(
  batch: Lookup[],
  describe: (filters: Filter[]) => Promise<T[]>,
  idOf: (item: T) => string | undefined,
  tagsOf: (item: T) => Tags,
  idFilter: string,
): Promise<Map<Address, T>> {
  const found = new Map<Address, T>();
  const tracked = batch.filter((l) => l.tracked);
  if (tracked.length) {
    const items = await describe([{ Name: idFilter, Values: tracked.map((l) => l.tracked!.id) }]);
    for (const l of tracked) {
      const item = items.find((i) => idOf(i) === l.tracked!.id);
      if (item) found.set(l.address, item);
    }
  }
  const nameOf = (l: Lookup) => (l.desired?.attributes.tags as Tags | undefined)?.Name;
  const missing = batch.filter((l) => !found.has(l.address) && nameOf(l));
  if (missing.length) {
    const items = await describe([{ Name: "tag:Name", Values: [...new Set(missing.map((l) => nameOf(l)!))] }]);
    for (const l of missing) {
      const item = items.find((i) => tagsOf(i).Name === nameOf(l));
      if (item) found.set(l.address, item);
    }
  }
  return found;
}

export function tagSpecifications(resourceType: string, tags: unknown) {
  return [{ ResourceType: resourceType as any, Tags: tagList(tags as Tags) }];
}

export async function updateEc2Tags(ec2: Ec2, id: string, before: unknown, after: unknown, signal: AbortSignal): Promise<void> {
  const changes = tagChanges(before, after);
  if (!hasTagChanges(changes)) return;
  const { sdk, client } = ec2;
  if (changes.remove.length) await client.send(new sdk.DeleteTagsCommand({ Resources: [id], Tags: changes.remove.map((Key) => ({ Key })) }), { abortSignal: signal });
  if (Object.keys(changes.set).length) await client.send(new sdk.CreateTagsCommand({ Resources: [id], Tags: tagList(changes.set) }), { abortSignal: signal });
}

/** Reads every page of an EC2 Describe call. */
export async function allPages<T>(page: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const { items, next } = await page(token);
    all.push(...(items ?? []));
    token = next;
  } while (token);
  return all;
}
