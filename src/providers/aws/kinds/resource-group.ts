// aws/resource_group: Nebari's accounting group, a tag query over the project's resources.
// A no-op observe reads only the tags (one call); the query and description are read when the group is found without state.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { ignoreNotFound, orNotFound } from "../errors.ts";
import { ownTags, tagChanges } from "../tags.ts";

export function resourceGroupKind(aws: AwsClients): ResourceKind {
  return {
    kind: "aws/resource_group",
    timeoutMs: 5 * 60_000,
    async observe(batch, { signal }) {
      const { sdk, client } = await aws.groups();
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          let arn = l.tracked?.arn;
          let query = l.tracked?.attributes.resource_query;
          let description = l.tracked?.attributes.description;
          const name = l.tracked?.id ?? String(l.desired?.attributes.name);
          let tags = arn ? await orNotFound(() => client.send(new sdk.GetTagsCommand({ Arn: arn }), { abortSignal: signal })) : undefined;
          if (!tags) {
            const group = await orNotFound(() => client.send(new sdk.GetGroupCommand({ Group: name }), { abortSignal: signal }));
            if (!group?.Group) return;
            arn = group.Group.GroupArn!;
            description = group.Group.Description ?? null;
            const q = await client.send(new sdk.GetGroupQueryCommand({ Group: name }), { abortSignal: signal });
            query = q.GroupQuery?.ResourceQuery?.Query;
            tags = await client.send(new sdk.GetTagsCommand({ Arn: arn }), { abortSignal: signal });
          }
          out.set(l.address, { id: name, arn, attributes: { name, description, resource_query: query, tags: ownTags(tags.Tags) } });
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const { sdk, client } = await aws.groups();
      const a = resource.attributes;
      const r = await client.send(
        new sdk.CreateGroupCommand({ Name: String(a.name), ...(a.description ? { Description: String(a.description) } : {}), ResourceQuery: { Type: "TAG_FILTERS_1_0", Query: String(a.resource_query) }, Tags: a.tags as Record<string, string> }),
        { abortSignal: signal },
      );
      return { id: String(a.name), arn: r.Group?.GroupArn, attributes: { ...a } };
    },
    async update(resource, actual, _changes, { signal }) {
      const { sdk, client } = await aws.groups();
      const a = resource.attributes;
      if (a.resource_query !== actual.attributes.resource_query)
        await client.send(new sdk.UpdateGroupQueryCommand({ Group: actual.id, ResourceQuery: { Type: "TAG_FILTERS_1_0", Query: String(a.resource_query) } }), { abortSignal: signal });
      if ((a.description ?? null) !== (actual.attributes.description ?? null))
        await client.send(new sdk.UpdateGroupCommand({ Group: actual.id, Description: String(a.description ?? "") }), { abortSignal: signal });
      const { set, remove } = tagChanges(actual.attributes.tags, a.tags);
      if (remove.length) await client.send(new sdk.UntagCommand({ Arn: actual.arn, Keys: remove }), { abortSignal: signal });
      if (Object.keys(set).length) await client.send(new sdk.TagCommand({ Arn: actual.arn, Tags: set }), { abortSignal: signal });
      return { ...actual, attributes: { ...actual.attributes, ...a } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.groups();
      await ignoreNotFound(() => client.send(new sdk.DeleteGroupCommand({ Group: actual.id }), { abortSignal: signal }));
    },
  };
}
