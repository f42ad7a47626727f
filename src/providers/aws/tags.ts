// Tags: AWS list shapes ↔ plain maps, AWS-managed keys left out, and the difference to apply.

export type Tags = Record<string, string>;

/** A plain map from `[{Key, Value}]` (or `{key, value}` in EC2 responses), without AWS-managed `aws:` keys. */
export function tagMap(list: { Key?: string; Value?: string }[] | undefined): Tags {
  const tags: Tags = {};
  for (const t of list ?? []) if (t.Key && !t.Key.startsWith("aws:")) tags[t.Key] = t.Value ?? "";
  return tags;
}

/** A plain map from a `{key: value}` response (EKS, Resource Groups), without `aws:` keys. */
export function ownTags(tags: Record<string, string> | undefined): Tags {
  return Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => !k.startsWith("aws:")));
}

export function tagList(tags: Tags | undefined): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** What to set and which keys to remove to turn `before` into `after`. */
export function tagChanges(before: unknown, after: unknown): { set: Tags; remove: string[] } {
  const b = (before ?? {}) as Tags;
  const a = (after ?? {}) as Tags;
  const set = Object.fromEntries(Object.entries(a).filter(([k, v]) => b[k] !== v));
  return { set, remove: Object.keys(b).filter((k) => !(k in a)) };
}

export const hasTagChanges = ({ set, remove }: { set: Tags; remove: string[] }) => Object.keys(set).length > 0 || remove.length > 0;
