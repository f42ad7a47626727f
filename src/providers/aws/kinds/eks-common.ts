// EKS TagResource/UntagResource, shared by the cluster, node-group and add-on kinds.
import type { AwsClients } from "../clients.ts";

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
