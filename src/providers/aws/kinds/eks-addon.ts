// aws/eks_addon: aws-ebs-csi-driver and coredns with Nebari's configuration values (conflicts: OVERWRITE).
import type * as EKS from "@aws-sdk/client-eks";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import { sameValue } from "../../../engine/compare.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { poll } from "../poll.ts";
import { ownTags, tagChanges } from "../tags.ts";
import { tagEks, untagEks, untilUpdated } from "./eks-common.ts";

const TIMEOUT_MS = 10 * 60_000;

function addonActual(a: EKS.Addon): Actual {
  return {
    id: `${a.clusterName}/${a.addonName}`,
    arn: a.addonArn,
    attributes: {
      cluster_name: a.clusterName,
      addon_name: a.addonName,
      configuration_values: a.configurationValues ? JSON.parse(a.configurationValues) : null,
      tags: ownTags(a.tags),
      status: a.status,
      addon_version: a.addonVersion,
    },
  };
}

export function eksAddonKind(aws: AwsClients): ResourceKind {
  async function describe(id: string, signal: AbortSignal) {
    const { sdk, client } = await aws.eks();
    const [clusterName, addonName] = id.split("/");
    const r = await orNotFound(() => client.send(new sdk.DescribeAddonCommand({ clusterName, addonName }), { abortSignal: signal }));
    return r?.addon;
  }
  const untilActive = (id: string, signal: AbortSignal) =>
    poll(`add-on ${id}`, async () => {
      const a = await describe(id, signal);
      if (!a || a.status === "CREATE_FAILED") throw new Error(`add-on ${id} ${a ? "failed" : "disappeared"}: ${(a?.health?.issues ?? []).map((i) => i.message).join("; ")}`);
      return a.status === "ACTIVE" || a.status === "DEGRADED" ? addonActual(a) : undefined;
    }, signal, TIMEOUT_MS);
  return {
    kind: "aws/eks_addon",
    createsOnce: true, // see engine/types.ts
    timeoutMs: TIMEOUT_MS,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const id = l.tracked?.id ?? `${l.desired?.attributes.cluster_name}/${l.desired?.attributes.addon_name}`;
          const a = await describe(id, signal);
          if (a) out.set(l.address, a.status === "DELETING" ? { ...addonActual(a), deleting: true } : addonActual(a));
        }),
      );
      return out;
    },
    async create(resource, { signal, requestToken }) {
      const { sdk, client } = await aws.eks();
      const a = resource.attributes as any;
      try {
        const { addon } = await client.send(
          new sdk.CreateAddonCommand({
            clusterName: a.cluster_name,
            addonName: a.addon_name,
            resolveConflicts: "OVERWRITE",
            ...(a.configuration_values && { configurationValues: JSON.stringify(a.configuration_values) }),
            tags: a.tags,
            clientRequestToken: requestToken,
          }),
          { abortSignal: signal },
        );
        return addonActual(addon!);
      } catch (err) {
        const existing = errorCode(err) === "ResourceInUseException" ? await describe(`${a.cluster_name}/${a.addon_name}`, signal) : undefined;
        if (existing) return addonActual(existing);
        throw err;
      }
    },
    async update(resource, actual, _changes, { signal, requestToken }) {
      const { sdk, client } = await aws.eks();
      const a = resource.attributes as any;
      const [clusterName, addonName] = actual.id.split("/");
      let result = actual;
      if (!sameValue(a.configuration_values, actual.attributes.configuration_values)) {
        const { update } = await client.send(
          new sdk.UpdateAddonCommand({ clusterName, addonName, resolveConflicts: "OVERWRITE", configurationValues: a.configuration_values ? JSON.stringify(a.configuration_values) : "", clientRequestToken: requestToken }),
          { abortSignal: signal },
        );
        await untilUpdated(aws, { name: clusterName!, addonName, updateId: update!.id! }, signal, TIMEOUT_MS);
        result = await untilActive(actual.id, signal);
      }
      const tags = tagChanges(actual.attributes.tags, a.tags);
      await untagEks(aws, actual.arn!, tags.remove, signal);
      await tagEks(aws, actual.arn!, tags.set, signal);
      return { ...result, attributes: { ...result.attributes, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.eks();
      const [clusterName, addonName] = actual.id.split("/");
      await ignoreNotFound(() => client.send(new sdk.DeleteAddonCommand({ clusterName, addonName }), { abortSignal: signal }));
    },
    async wait(actual, operation, { signal }) {
      if (operation !== "delete") return untilActive(actual.id, signal);
      await poll(`add-on ${actual.id} deletion`, async () => ((await describe(actual.id, signal)) ? undefined : actual), signal, TIMEOUT_MS);
      return actual;
    },
  };
}
