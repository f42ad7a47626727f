// EKS lists a cluster's or node group's subnets in the order it was given, and Terraform gives them in its own
// (set) order; NIC's desired lists are in subnet-index order and are compared in order. So observe() puts what it
// finds in index order before comparing: free when the order matches state, one DescribeSubnets when it does not.
import { isRef } from "../../../engine/refs.ts";
import type { AwsClients } from "../clients.ts";
import { tagMap } from "../tags.ts";
import { allPages } from "./ec2.ts";

const sameItems = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x) => b.includes(x));

/** `found` in desired order: the given order for existing subnets, else Nebari's subnet index (`<cluster>-subnet-<i>`, then CIDR). */
export async function inSubnetOrder(aws: AwsClients, found: string[], desired: unknown, tracked: unknown, signal: AbortSignal): Promise<string[]> {
  if (found.length < 2) return found;
  if (Array.isArray(desired) && desired.every((d) => typeof d === "string") && sameItems(desired, found)) return desired as string[];
  if (Array.isArray(tracked) && tracked.every((t, i) => t === found[i]) && (!Array.isArray(desired) || desired.some(isRef))) return found;
  const ids = [...found].sort();
  const subnets = await aws.shared(`DescribeSubnets order ${ids.join(",")}`, async () => {
    const ec2 = await aws.ec2();
    return allPages((NextToken) =>
      ec2.client.send(new ec2.sdk.DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: ids }], NextToken }), { abortSignal: signal }).then((r) => ({ items: r.Subnets, next: r.NextToken })),
    );
  });
  const rank = (id: string) => {
    const s = subnets.find((x) => x.SubnetId === id);
    const index = /-subnet-(\d+)$/.exec(tagMap(s?.Tags).Name ?? "")?.[1];
    const cidr = (s?.CidrBlock ?? "").split(/[./]/).map(Number).reduce((n, octet, i) => (i < 4 ? n * 256 + octet : n), 0);
    return [index === undefined ? Number.MAX_SAFE_INTEGER : Number(index), cidr] as const;
  };
  return [...found].sort((a, b) => {
    const [ia, ca] = rank(a);
    const [ib, cb] = rank(b);
    return ia - ib || ca - cb;
  });
}

/** `found` in the order of `reference` (what NIC sent) when both hold the same subnets, so state keeps desired order. */
export function inOrderSent(found: string[], reference: unknown): string[] {
  return Array.isArray(reference) && sameItems(reference, found) ? (reference as string[]) : found;
}
