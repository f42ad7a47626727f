// aws/iam_role: the EKS cluster and node roles (trusting a service) and the IRSA roles (trusting the cluster's OIDC
// provider). `assume_role` is the trust policy in a comparable shape: {service} or {federated, conditions}.
import { sameValue } from "../../../engine/compare.ts";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { tagChanges, tagList, tagMap } from "../tags.ts";

type AssumeRole = { service: string } | { federated: string; conditions: Record<string, string> };

/** The trust policy document for an `assume_role` value. IRSA condition keys are prefixed with the issuer host. */
export function trustPolicy(assume: AssumeRole): string {
  if ("service" in assume) return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: assume.service }, Action: "sts:AssumeRole" }] });
  const host = assume.federated.slice(assume.federated.indexOf("oidc-provider/") + "oidc-provider/".length);
  const conditions = Object.fromEntries(Object.entries(assume.conditions).map(([k, v]) => [`${host}:${k}`, v]));
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: assume.federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: conditions } }],
  });
}

/** The inverse of trustPolicy, for what IAM returns (URL-encoded JSON). */
export function assumeRoleOf(encoded: string | undefined): AssumeRole | null {
  if (!encoded) return null;
  const statement = JSON.parse(decodeURIComponent(encoded)).Statement?.[0] ?? {};
  if (statement.Principal?.Service) return { service: statement.Principal.Service };
  const conditions = Object.fromEntries(Object.entries((statement.Condition?.StringEquals ?? {}) as Record<string, string>).map(([k, v]) => [k.slice(k.lastIndexOf(":") + 1), v]));
  return { federated: statement.Principal?.Federated, conditions };
}

export function iamRoleKind(aws: AwsClients): ResourceKind {
  async function read(name: string, signal: AbortSignal): Promise<Actual | undefined> {
    const { sdk, client } = await aws.iam();
    const r = await orNotFound(() => client.send(new sdk.GetRoleCommand({ RoleName: name }), { abortSignal: signal }));
    const role = r?.Role;
    if (!role) return undefined;
    return {
      id: role.RoleName!,
      arn: role.Arn,
      attributes: { name: role.RoleName, assume_role: assumeRoleOf(role.AssumeRolePolicyDocument), permissions_boundary: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null, tags: tagMap(role.Tags) },
    };
  }
  return {
    kind: "aws/iam_role",
    createsOnce: true, // see engine/types.ts
    timeoutMs: 5 * 60_000,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const actual = await read(l.tracked?.id ?? String(l.desired?.attributes.name), signal);
          if (actual) out.set(l.address, actual);
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const { sdk, client } = await aws.iam();
      const a = resource.attributes;
      try {
        const { Role } = await client.send(
          new sdk.CreateRoleCommand({
            RoleName: String(a.name),
            AssumeRolePolicyDocument: trustPolicy(a.assume_role as AssumeRole),
            ...(a.permissions_boundary ? { PermissionsBoundary: String(a.permissions_boundary) } : {}),
            Tags: tagList(a.tags as any),
          }),
          { abortSignal: signal },
        );
        return { id: Role!.RoleName!, arn: Role!.Arn, attributes: { ...a } };
      } catch (err) {
        if (errorCode(err) === "EntityAlreadyExists") return (await read(String(a.name), signal))!;
        throw err;
      }
    },
    async update(resource, actual, _changes, { signal }) {
      const { sdk, client } = await aws.iam();
      const a = resource.attributes;
      const RoleName = actual.id;
      if (!sameValue(a.assume_role, actual.attributes.assume_role))
        await client.send(new sdk.UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: trustPolicy(a.assume_role as AssumeRole) }), { abortSignal: signal });
      if (a.permissions_boundary !== actual.attributes.permissions_boundary) {
        if (a.permissions_boundary) await client.send(new sdk.PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary: String(a.permissions_boundary) }), { abortSignal: signal });
        else await client.send(new sdk.DeleteRolePermissionsBoundaryCommand({ RoleName }), { abortSignal: signal });
      }
      const { set, remove } = tagChanges(actual.attributes.tags, a.tags);
      if (remove.length) await client.send(new sdk.UntagRoleCommand({ RoleName, TagKeys: remove }), { abortSignal: signal });
      if (Object.keys(set).length) await client.send(new sdk.TagRoleCommand({ RoleName, Tags: tagList(set) }), { abortSignal: signal });
      return { ...actual, attributes: { ...actual.attributes, ...a } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.iam();
      await ignoreNotFound(() => client.send(new sdk.DeleteRoleCommand({ RoleName: actual.id }), { abortSignal: signal }));
    },
  };
}
