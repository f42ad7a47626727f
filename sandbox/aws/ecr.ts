// ECR (AWS JSON 1.1, X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Action>): repositories and tags.
import { AwsError } from "../protocols/errors.ts";
import { epoch } from "../protocols/json.ts";
import type { Resource, World } from "../world.ts";
import { json11Service, tagList, tagMap, type JsonHandler } from "./service.ts";

export interface Repository extends Resource {
  arn: string;
  createdAt: number;
  imageTagMutability: string;
  scanOnPush: boolean;
  encryptionConfiguration: Record<string, unknown>;
}

const TYPE = "ecr:repository";

function repository(world: World, name: unknown): Repository {
  const r = world.table<Repository>(TYPE).get(String(name));
  if (!r) throw new AwsError("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${world.account}'`);
  return r;
}

function byArn(world: World, arn: string): Repository {
  const r = [...world.table<Repository>(TYPE).values()].find((x) => x.arn === arn);
  if (!r) throw new AwsError("RepositoryNotFoundException", `The repository with arn '${arn}' does not exist`);
  return r;
}

const render = (r: Repository, world: World) => ({
  repositoryArn: r.arn,
  registryId: world.account,
  repositoryName: r.id,
  repositoryUri: `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${r.id}`,
  createdAt: epoch(r.createdAt),
  imageTagMutability: r.imageTagMutability,
  imageScanningConfiguration: { scanOnPush: r.scanOnPush },
  encryptionConfiguration: r.encryptionConfiguration,
});

const actions: Record<string, JsonHandler> = {
  CreateRepository(b, world) {
    const name = String(b.repositoryName ?? "");
    if (!/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name))
      throw new AwsError("InvalidParameterException", `Invalid parameter at 'repositoryName' failed to satisfy constraint: '${name}'`);
    if (world.table(TYPE).has(name)) throw new AwsError("RepositoryAlreadyExistsException", `The repository with name '${name}' already exists in the registry with id '${world.account}'`);
    const r = world.put<Repository>({
      type: TYPE,
      id: name,
      name,
      tags: tagMap(b.tags),
      arn: `arn:aws:ecr:${world.region}:${world.account}:repository/${name}`,
      createdAt: Date.now(),
      imageTagMutability: b.imageTagMutability ?? "MUTABLE",
      scanOnPush: b.imageScanningConfiguration?.scanOnPush ?? false,
      encryptionConfiguration: b.encryptionConfiguration ?? { encryptionType: "AES256" },
    });
    return { repository: render(r, world) };
  },
  DescribeRepositories(b, world) {
    const names: string[] = b.repositoryNames ?? [];
    const all = names.length ? names.map((n) => repository(world, n)) : [...world.table<Repository>(TYPE).values()];
    const start = Number(b.nextToken ?? 0);
    const size = Number(b.maxResults ?? 100);
    return { repositories: all.slice(start, start + size).map((r) => render(r, world)), nextToken: start + size < all.length ? String(start + size) : undefined };
  },
  DeleteRepository(b, world) {
    const r = repository(world, b.repositoryName);
    world.remove(TYPE, r.id);
    return { repository: render(r, world) };
  },
  ListTagsForResource: (b, world) => ({ tags: tagList(byArn(world, b.resourceArn).tags) }),
  TagResource(b, world) {
    Object.assign(byArn(world, b.resourceArn).tags, tagMap(b.tags));
    world.changed();
    return {};
  },
  UntagResource(b, world) {
    const r = byArn(world, b.resourceArn);
    for (const k of b.tagKeys ?? []) delete r.tags[k];
    world.changed();
    return {};
  },
  PutImageTagMutability(b, world) {
    const r = repository(world, b.repositoryName);
    r.imageTagMutability = b.imageTagMutability;
    world.changed();
    return { registryId: world.account, repositoryName: r.id, imageTagMutability: r.imageTagMutability };
  },
  PutImageScanningConfiguration(b, world) {
    const r = repository(world, b.repositoryName);
    r.scanOnPush = b.imageScanningConfiguration?.scanOnPush ?? false;
    world.changed();
    return { registryId: world.account, repositoryName: r.id, imageScanningConfiguration: { scanOnPush: r.scanOnPush } };
  },
  DescribeImages: (b, world) => (repository(world, b.repositoryName), { imageDetails: [] }),
  GetLifecyclePolicy(b, world) {
    repository(world, b.repositoryName);
    throw new AwsError("LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for the repository");
  },
  GetRepositoryPolicy(b, world) {
    repository(world, b.repositoryName);
    throw new AwsError("RepositoryPolicyNotFoundException", "Repository policy does not exist for the repository");
  },
  GetAuthorizationToken: (_b, world) => ({
    authorizationData: [
      { authorizationToken: btoa("AWS:sandbox-password"), expiresAt: epoch(Date.now() + 12 * 3600_000), proxyEndpoint: `https://${world.account}.dkr.ecr.${world.region}.amazonaws.com` },
    ],
  }),
};

export const ecrModule = json11Service({ signingName: "ecr", envName: "ECR", targetPrefix: "AmazonEC2ContainerRegistry_V20150921", actions });
