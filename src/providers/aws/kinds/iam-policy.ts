// aws/iam_policy: customer-managed policies (worker autoscaling, named by prefix like Terraform's name_prefix;
// the KMS encryption policy, named). The document is compared as parsed JSON.
import type * as IAM from "@aws-sdk/client-iam";
import type { Actual, Lookup, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients, Iam } from "../clients.ts";
import { ignoreNotFound, orNotFound } from "../errors.ts";
import { canonicalPolicy } from "../nebari.ts";
import { tagChanges, tagList, tagMap } from "../tags.ts";

/** Terraform's name_prefix: the prefix plus a 26-digit timestamp-and-counter suffix. */
const uniqueName = (prefix: string) => `${prefix}${new Date().toISOString().replace(/\D/g, "").slice(0, 17)}${String(Math.floor(Math.random() * 1e9)).padStart(9, "0")}`;

export function iamPolicyKind(aws: AwsClients): ResourceKind {
  async function read(iam: Iam, arn: string, naming: Record<string, unknown>, signal: AbortSignal): Promise<Actual | undefined> {
    const { sdk, client } = iam;
    const r = await orNotFound(() => client.send(new sdk.GetPolicyCommand({ PolicyArn: arn }), { abortSignal: signal }));
    if (!r?.Policy) return undefined;
    const p = r.Policy;
    const v = await client.send(new sdk.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: p.DefaultVersionId }), { abortSignal: signal });
    const name = "name_prefix" in naming && p.PolicyName?.startsWith(String(naming.name_prefix)) ? { name_prefix: naming.name_prefix } : { name: p.PolicyName };
    return {
      id: p.Arn!,
      arn: p.Arn,
      attributes: { ...name, policy_name: p.PolicyName, description: p.Description ?? null, policy: canonicalPolicy(JSON.parse(decodeURIComponent(v.PolicyVersion?.Document ?? "{}"))), tags: tagMap(p.Tags) },
    };
  }
  const namingOf = (l: Lookup) => (l.desired ?? l.tracked)!.attributes;
  const matches = (p: IAM.Policy, naming: Record<string, unknown>) =>
    naming.name_prefix ? p.PolicyName?.startsWith(String(naming.name_prefix)) : p.PolicyName === naming.name;
  return {
    kind: "aws/iam_policy",
    timeoutMs: 3 * 60_000,
    async observe(batch, { signal }) {
      const iam = await aws.iam();
      const out = new Map<string, Actual>();
      const missing: Lookup[] = [];
      await Promise.all(
        batch.map(async (l) => {
          const actual = l.tracked && (await read(iam, l.tracked.id, namingOf(l), signal));
          if (actual) out.set(l.address, actual);
          else missing.push(l);
        }),
      );
      if (missing.length) {
        const policies: IAM.Policy[] = [];
        let Marker: string | undefined;
        do {
          const page = await iam.client.send(new iam.sdk.ListPoliciesCommand({ Scope: "Local", Marker, MaxItems: 1000 }), { abortSignal: signal });
          policies.push(...(page.Policies ?? []));
          Marker = page.IsTruncated ? page.Marker : undefined;
        } while (Marker);
        await Promise.all(
          missing.map(async (l) => {
            const p = policies.find((x) => matches(x, namingOf(l)));
            const actual = p && (await read(iam, p.Arn!, namingOf(l), signal));
            if (actual) out.set(l.address, actual);
          }),
        );
      }
      return out;
    },
    async create(resource, { signal }) {
      const { sdk, client } = await aws.iam();
      const a = resource.attributes;
      const PolicyName = a.name ? String(a.name) : uniqueName(String(a.name_prefix));
      const { Policy } = await client.send(
        new sdk.CreatePolicyCommand({ PolicyName, Description: a.description ? String(a.description) : undefined, PolicyDocument: JSON.stringify(a.policy), Tags: tagList(a.tags as any) }),
        { abortSignal: signal },
      );
      return { id: Policy!.Arn!, arn: Policy!.Arn, attributes: { ...a, policy_name: PolicyName } };
    },
    async update(resource, actual, _changes, { signal }) {
      const { sdk, client } = await aws.iam();
      const a = resource.attributes;
      const PolicyArn = actual.id;
      if (JSON.stringify(a.policy) !== JSON.stringify(actual.attributes.policy)) {
        // A policy keeps at most five versions: drop the oldest non-default one first.
        const { Versions = [] } = await client.send(new sdk.ListPolicyVersionsCommand({ PolicyArn }), { abortSignal: signal });
        const old = Versions.filter((v) => !v.IsDefaultVersion).sort((x, y) => Number(x.CreateDate) - Number(y.CreateDate));
        if (Versions.length >= 5 && old[0]) await client.send(new sdk.DeletePolicyVersionCommand({ PolicyArn, VersionId: old[0].VersionId }), { abortSignal: signal });
        await client.send(new sdk.CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: JSON.stringify(a.policy), SetAsDefault: true }), { abortSignal: signal });
      }
      const { set, remove } = tagChanges(actual.attributes.tags, a.tags);
      if (remove.length) await client.send(new sdk.UntagPolicyCommand({ PolicyArn, TagKeys: remove }), { abortSignal: signal });
      if (Object.keys(set).length) await client.send(new sdk.TagPolicyCommand({ PolicyArn, Tags: tagList(set) }), { abortSignal: signal });
      return { ...actual, attributes: { ...actual.attributes, policy: a.policy, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.iam();
      const PolicyArn = actual.id;
      const versions = await orNotFound(() => client.send(new sdk.ListPolicyVersionsCommand({ PolicyArn }), { abortSignal: signal }));
      for (const v of versions?.Versions ?? []) if (!v.IsDefaultVersion) await ignoreNotFound(() => client.send(new sdk.DeletePolicyVersionCommand({ PolicyArn, VersionId: v.VersionId }), { abortSignal: signal }));
      await ignoreNotFound(() => client.send(new sdk.DeletePolicyCommand({ PolicyArn }), { abortSignal: signal }));
    },
  };
}
