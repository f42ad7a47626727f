// aws/iam_openid_connect_provider: IRSA trust in the cluster's OIDC issuer. The thumbprint comes from the issuer's
// TLS chain at create time (not compared afterwards: IAM ignores it for well-known CAs).
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients, Iam } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { tagChanges, tagList, tagMap, type Tags } from "../tags.ts";

export function iamOidcProviderKind(aws: AwsClients): ResourceKind {
  async function read(iam: Iam, arn: string, signal: AbortSignal): Promise<Actual | undefined> {
    const r = await orNotFound(() => iam.client.send(new iam.sdk.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }), { abortSignal: signal }));
    if (!r) return undefined;
    return { id: arn, arn, attributes: { url: `https://${r.Url}`, client_id_list: [...(r.ClientIDList ?? [])].sort(), tags: tagMap(r.Tags), thumbprint_list: r.ThumbprintList ?? [] } };
  }
  return {
    kind: "aws/iam_openid_connect_provider",
    createsOnce: true, // see engine/types.ts
    timeoutMs: 3 * 60_000,
    async observe(batch, { signal }) {
      const iam = await aws.iam();
      const out = new Map<string, Actual>();
      for (const l of batch) {
        let actual = l.tracked && (await read(iam, l.tracked.id, signal));
        const name = (l.desired?.attributes.tags as Tags | undefined)?.Name;
        if (!actual && name) {
          // Without state: the provider tagged with Nebari's name.
          const list = await iam.client.send(new iam.sdk.ListOpenIDConnectProvidersCommand({}), { abortSignal: signal });
          for (const p of list.OpenIDConnectProviderList ?? []) {
            const candidate = await read(iam, p.Arn!, signal);
            if ((candidate?.attributes.tags as Tags | undefined)?.Name === name) actual = candidate;
          }
        }
        if (actual) out.set(l.address, actual);
      }
      return out;
    },
    async create(resource, { signal }) {
      const iam = await aws.iam();
      const a = resource.attributes as { url: string; client_id_list: string[]; tags: Tags };
      const thumbprint = await aws.thumbprint(a.url, signal);
      try {
        const r = await iam.client.send(
          new iam.sdk.CreateOpenIDConnectProviderCommand({ Url: a.url, ClientIDList: a.client_id_list, ThumbprintList: [thumbprint], Tags: tagList(a.tags) }),
          { abortSignal: signal },
        );
        return { id: r.OpenIDConnectProviderArn!, arn: r.OpenIDConnectProviderArn, attributes: { ...a, thumbprint_list: [thumbprint] } };
      } catch (err) {
        if (errorCode(err) !== "EntityAlreadyExists") throw err;
        const list = await iam.client.send(new iam.sdk.ListOpenIDConnectProvidersCommand({}), { abortSignal: signal });
        const arn = list.OpenIDConnectProviderList?.find((p) => p.Arn?.endsWith(`oidc-provider/${a.url.replace(/^https:\/\//, "")}`))?.Arn;
        if (!arn) throw err;
        return (await read(iam, arn, signal))!;
      }
    },
    async update(resource, actual, _changes, { signal }) {
      const { sdk, client } = await aws.iam();
      const a = resource.attributes as { client_id_list: string[]; tags: Tags };
      const OpenIDConnectProviderArn = actual.id;
      const before = actual.attributes.client_id_list as string[];
      for (const id of a.client_id_list.filter((c) => !before.includes(c))) await client.send(new sdk.AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID: id }), { abortSignal: signal });
      for (const id of before.filter((c) => !a.client_id_list.includes(c))) await client.send(new sdk.RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID: id }), { abortSignal: signal });
      const { set, remove } = tagChanges(actual.attributes.tags, a.tags);
      if (remove.length) await client.send(new sdk.UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, TagKeys: remove }), { abortSignal: signal });
      if (Object.keys(set).length) await client.send(new sdk.TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, Tags: tagList(set) }), { abortSignal: signal });
      return { ...actual, attributes: { ...actual.attributes, client_id_list: a.client_id_list, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.iam();
      await ignoreNotFound(() => client.send(new sdk.DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: actual.id }), { abortSignal: signal }));
    },
  };
}
