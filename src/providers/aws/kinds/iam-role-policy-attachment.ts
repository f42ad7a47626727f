// aws/iam_role_policy_attachment: one managed policy on one role. One ListAttachedRolePolicies per role.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { ignoreNotFound, orNotFound } from "../errors.ts";
import { isRef } from "../../../engine/refs.ts";
import { isManagedPolicyArn } from "../partition.ts";

const idOf = (role: string, policyArn: string) => `${role}/${policyArn}`;

export function iamRolePolicyAttachmentKind(aws: AwsClients): ResourceKind {
  return {
    kind: "aws/iam_role_policy_attachment",
    timeoutMs: 3 * 60_000,
    async observe(batch, { signal }) {
      const { sdk, client } = await aws.iam();
      const roleOf = (l: (typeof batch)[number]) => String(l.tracked?.attributes.role ?? l.desired?.attributes.role);
      const out = new Map<string, Actual>();
      await Promise.all(
        [...new Set(batch.map(roleOf))].map(async (role) => {
          const r = await orNotFound(() => client.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName: role, MaxItems: 1000 }), { abortSignal: signal }));
          const attached = (r?.AttachedPolicies ?? []).map((p) => p.PolicyArn!);
          for (const l of batch.filter((x) => roleOf(x) === role)) {
            const wanted = l.tracked?.attributes.policy_arn ?? l.desired?.attributes.policy_arn;
            // A policy NIC creates (a ref before it exists): Nebari attaches one customer policy per role.
            const arn = isRef(wanted) ? attached.find((a) => !isManagedPolicyArn(a)) : attached.find((a) => a === wanted);
            if (arn) out.set(l.address, { id: idOf(role, arn), attributes: { role, policy_arn: arn } });
          }
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const { sdk, client } = await aws.iam();
      const { role, policy_arn } = resource.attributes as { role: string; policy_arn: string };
      await client.send(new sdk.AttachRolePolicyCommand({ RoleName: role, PolicyArn: policy_arn }), { abortSignal: signal });
      return { id: idOf(role, policy_arn), attributes: { role, policy_arn } };
    },
    async update(_resource, actual) {
      return actual; // Both fields force a replacement.
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.iam();
      const { role, policy_arn } = actual.attributes as { role: string; policy_arn: string };
      await ignoreNotFound(() => client.send(new sdk.DetachRolePolicyCommand({ RoleName: role, PolicyArn: policy_arn }), { abortSignal: signal }));
    },
  };
}
