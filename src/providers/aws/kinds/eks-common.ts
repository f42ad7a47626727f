// Shared by the EKS kinds: tagging, and waiting for an update (cluster, node group or add-on) to finish.
import type { AwsClients } from "../clients.ts";
import { poll } from "../poll.ts";

export async function tagEks(aws: AwsClients, arn: string, tags: Record<string, string>, signal: AbortSignal): Promise<void> {
  if (!Object.keys(tags).length) return;
  const { sdk, client } = await aws.eks();
  await client.send(new sdk.TagResourceCommand({ resourceArn: arn, tags }), { abortSignal: signal });
}

export async function untagEks(aws: AwsClients, arn: string, keys: string[], signal: AbortSignal): Promise<void> {
  if (!keys.length) return;
  const { sdk, client } = await aws.eks();
  await client.send(new sdk.UntagResourceCommand({ resourceArn: arn, tagKeys: keys }), { abortSignal: signal });
}

/**
 * Waits for an EKS update to succeed. Its status, not the resource's, is the truth: right after an update call the
 * resource may still say ACTIVE before it turns UPDATING.
 */
export async function untilUpdated(
  aws: AwsClients,
  update: { name: string; updateId: string; nodegroupName?: string; addonName?: string },
  signal: AbortSignal,
  timeoutMs: number,
): Promise<void> {
  const { sdk, client } = await aws.eks();
  await poll(`EKS update ${update.updateId} of ${update.nodegroupName ?? update.addonName ?? update.name}`, async () => {
    const { update: u } = await client.send(new sdk.DescribeUpdateCommand(update), { abortSignal: signal });
    if (u?.status === "Failed" || u?.status === "Cancelled") throw new Error(`EKS update ${u.type} ${u.status}: ${(u.errors ?? []).map((e) => e.errorMessage).join("; ")}`);
    return u?.status === "Successful" ? true : undefined;
  }, signal, timeoutMs);
}
