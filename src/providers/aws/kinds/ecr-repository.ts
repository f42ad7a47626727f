// aws/ecr_repository: `<cluster>-jupyterlab`, scanned on push.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { hasTagChanges, tagChanges, tagList, tagMap } from "../tags.ts";

export function ecrRepositoryKind(aws: AwsClients): ResourceKind {
  async function read(name: string, signal: AbortSignal): Promise<Actual | undefined> {
    const { sdk, client } = await aws.ecr();
    const found = await orNotFound(() => client.send(new sdk.DescribeRepositoriesCommand({ repositoryNames: [name] }), { abortSignal: signal }));
    const repo = found?.repositories?.[0];
    if (!repo) return undefined;
    const { tags } = await client.send(new sdk.ListTagsForResourceCommand({ resourceArn: repo.repositoryArn }), { abortSignal: signal });
    return {
      id: repo.repositoryName!,
      arn: repo.repositoryArn,
      attributes: { name: repo.repositoryName, image_tag_mutability: repo.imageTagMutability, scan_on_push: repo.imageScanningConfiguration?.scanOnPush ?? false, tags: tagMap(tags), repository_url: repo.repositoryUri },
    };
  }
  return {
    kind: "aws/ecr_repository",
    createsOnce: true, // see engine/types.ts
    timeoutMs: 5 * 60_000,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const name = l.tracked?.id ?? String(l.desired?.attributes.name);
          const actual = await read(name, signal);
          if (actual) out.set(l.address, actual);
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const { sdk, client } = await aws.ecr();
      const a = resource.attributes;
      try {
        const { repository } = await client.send(
          new sdk.CreateRepositoryCommand({ repositoryName: String(a.name), imageTagMutability: a.image_tag_mutability as any, imageScanningConfiguration: { scanOnPush: Boolean(a.scan_on_push) }, tags: tagList(a.tags as any) }),
          { abortSignal: signal },
        );
        return { id: repository!.repositoryName!, arn: repository!.repositoryArn, attributes: { ...a, repository_url: repository!.repositoryUri } };
      } catch (err) {
        // A retried create after a lost response: adopt what the first call made.
        if (errorCode(err) === "RepositoryAlreadyExistsException") return (await read(String(a.name), signal))!;
        throw err;
      }
    },
    async update(resource, actual, _changes, { signal }) {
      const { sdk, client } = await aws.ecr();
      const a = resource.attributes;
      if (a.scan_on_push !== actual.attributes.scan_on_push)
        await client.send(new sdk.PutImageScanningConfigurationCommand({ repositoryName: actual.id, imageScanningConfiguration: { scanOnPush: Boolean(a.scan_on_push) } }), { abortSignal: signal });
      if (a.image_tag_mutability !== actual.attributes.image_tag_mutability)
        await client.send(new sdk.PutImageTagMutabilityCommand({ repositoryName: actual.id, imageTagMutability: a.image_tag_mutability as any }), { abortSignal: signal });
      const changes = tagChanges(actual.attributes.tags, a.tags);
      if (changes.remove.length) await client.send(new sdk.UntagResourceCommand({ resourceArn: actual.arn, tagKeys: changes.remove }), { abortSignal: signal });
      if (hasTagChanges({ set: changes.set, remove: [] })) await client.send(new sdk.TagResourceCommand({ resourceArn: actual.arn, tags: tagList(changes.set) }), { abortSignal: signal });
      return { ...actual, attributes: { ...actual.attributes, ...a } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.ecr();
      await ignoreNotFound(() => client.send(new sdk.DeleteRepositoryCommand({ repositoryName: actual.id }), { abortSignal: signal }));
    },
  };
}
