// aws/eks_cluster: the control plane. Create returns at CREATING; wait() polls until ACTIVE.
import type * as EKS from "@aws-sdk/client-eks";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { poll } from "../poll.ts";
import { ownTags, tagChanges } from "../tags.ts";
import { sameValue } from "../../../engine/compare.ts";
import { tagEks, untagEks, untilUpdated } from "./eks-common.ts";
import { inOrderSent, inSubnetOrder } from "./subnet-order.ts";

const TIMEOUT_MS = 20 * 60_000;

/** `sent`: the subnet list NIC sent or recorded, whose order the result keeps. */
export function clusterActual(c: EKS.Cluster, sent?: unknown): Actual {
  const vpc = c.resourcesVpcConfig ?? {};
  const encryption = c.encryptionConfig?.[0];
  return {
    id: c.name!,
    arn: c.arn,
    attributes: {
      name: c.name,
      version: c.version,
      role_arn: c.roleArn,
      vpc_config: {
        subnet_ids: inOrderSent(vpc.subnetIds ?? [], sent),
        security_group_ids: vpc.securityGroupIds ?? [],
        endpoint_public_access: vpc.endpointPublicAccess ?? true,
        endpoint_private_access: vpc.endpointPrivateAccess ?? false,
        public_access_cidrs: [...(vpc.publicAccessCidrs ?? [])].sort(),
      },
      encryption_config: encryption ? { key_arn: encryption.provider?.keyArn, resources: [...(encryption.resources ?? [])].sort() } : null,
      tags: ownTags(c.tags),
      status: c.status,
      endpoint: c.endpoint ?? null,
      certificate_authority: c.certificateAuthority?.data ?? null,
      oidc_issuer: c.identity?.oidc?.issuer ?? null,
      cluster_security_group_id: vpc.clusterSecurityGroupId ?? null,
      vpc_id: vpc.vpcId ?? null,
    },
  };
}

export function eksClusterKind(aws: AwsClients): ResourceKind {
  async function describe(name: string, signal: AbortSignal) {
    const { sdk, client } = await aws.eks();
    const r = await orNotFound(() => client.send(new sdk.DescribeClusterCommand({ name }), { abortSignal: signal }));
    return r?.cluster;
  }
  const untilActive = (name: string, signal: AbortSignal, sent: unknown) =>
    poll(`EKS cluster ${name}`, async () => {
      const c = await describe(name, signal);
      if (!c || c.status === "FAILED") throw new Error(`EKS cluster ${name} ${c ? "failed" : "disappeared"} while settling`);
      return c.status === "ACTIVE" ? clusterActual(c, sent) : undefined;
    }, signal, TIMEOUT_MS);
  return {
    kind: "aws/eks_cluster",
    createsOnce: true, // see engine/types.ts
    timeoutMs: TIMEOUT_MS,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const c = await describe(l.tracked?.id ?? String(l.desired?.attributes.name), signal);
          if (!c) return;
          const actual = clusterActual(c);
          if (c.status === "DELETING") return void out.set(l.address, { ...actual, deleting: true });
          const vpc = actual.attributes.vpc_config as { subnet_ids: string[] };
          const desired = (l.desired?.attributes.vpc_config as { subnet_ids?: unknown } | undefined)?.subnet_ids;
          const tracked = (l.tracked?.attributes.vpc_config as { subnet_ids?: unknown } | undefined)?.subnet_ids;
          vpc.subnet_ids = await inSubnetOrder(aws, vpc.subnet_ids, desired, tracked, signal);
          out.set(l.address, actual);
        }),
      );
      return out;
    },
    async create(resource, { signal, requestToken }) {
      const { sdk, client } = await aws.eks();
      const a = resource.attributes as any;
      try {
        const { cluster } = await client.send(
          new sdk.CreateClusterCommand({
            name: a.name,
            version: a.version,
            roleArn: a.role_arn,
            resourcesVpcConfig: {
              subnetIds: a.vpc_config.subnet_ids,
              securityGroupIds: a.vpc_config.security_group_ids,
              endpointPublicAccess: a.vpc_config.endpoint_public_access,
              endpointPrivateAccess: a.vpc_config.endpoint_private_access,
              publicAccessCidrs: a.vpc_config.public_access_cidrs,
            },
            ...(a.encryption_config && { encryptionConfig: [{ provider: { keyArn: a.encryption_config.key_arn }, resources: a.encryption_config.resources }] }),
            tags: a.tags,
            clientRequestToken: requestToken,
          }),
          { abortSignal: signal },
        );
        return clusterActual(cluster!, a.vpc_config.subnet_ids);
      } catch (err) {
        // A rerun after a crash: the cluster the first run asked for exists; adopt it.
        const existing = errorCode(err) === "ResourceInUseException" ? await describe(a.name, signal) : undefined;
        if (existing && existing.roleArn === a.role_arn) return clusterActual(existing, a.vpc_config.subnet_ids);
        throw err;
      }
    },
    async update(resource, actual, _changes, { signal, requestToken }) {
      const { sdk, client } = await aws.eks();
      const a = resource.attributes as any;
      const name = actual.id;
      // Found still creating or updating (a killed run, a platform update): nothing can change until it settles.
      const before = (actual.attributes.status === "ACTIVE" ? actual : await untilActive(name, signal, (actual.attributes.vpc_config as any).subnet_ids)).attributes as any;
      const access = (v: any) => ({ endpointPublicAccess: v.endpoint_public_access, endpointPrivateAccess: v.endpoint_private_access, publicAccessCidrs: v.public_access_cidrs });
      // EKS runs one update at a time: wait for each to finish.
      if (!sameValue(access(a.vpc_config), access(before.vpc_config))) {
        const { update } = await client.send(new sdk.UpdateClusterConfigCommand({ name, resourcesVpcConfig: access(a.vpc_config), clientRequestToken: `${requestToken}-config` }), { abortSignal: signal });
        await untilUpdated(aws, { name, updateId: update!.id! }, signal, TIMEOUT_MS);
      }
      if (a.version !== before.version) {
        const { update } = await client.send(new sdk.UpdateClusterVersionCommand({ name, version: a.version, clientRequestToken: `${requestToken}-version` }), { abortSignal: signal });
        await untilUpdated(aws, { name, updateId: update!.id! }, signal, TIMEOUT_MS);
      }
      const changes = tagChanges(before.tags, a.tags);
      await untagEks(aws, actual.arn!, changes.remove, signal);
      await tagEks(aws, actual.arn!, changes.set, signal);
      return { ...actual, attributes: { ...before, version: a.version, vpc_config: { ...before.vpc_config, ...a.vpc_config }, tags: a.tags, status: "ACTIVE" } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.eks();
      await ignoreNotFound(() => client.send(new sdk.DeleteClusterCommand({ name: actual.id }), { abortSignal: signal }));
    },
    async wait(actual, operation, { signal }) {
      if (operation !== "delete") return untilActive(actual.id, signal, (actual.attributes.vpc_config as any).subnet_ids);
      await poll(`EKS cluster ${actual.id} deletion`, async () => ((await describe(actual.id, signal)) ? undefined : actual), signal, TIMEOUT_MS);
      return actual;
    },
  };
}
