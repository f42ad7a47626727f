// The AWS partition of a region, as Terraform's `data.aws_partition` answers it: ARNs and service domains differ in
// China (aws-cn, amazonaws.com.cn) and GovCloud (aws-us-gov). Upstream builds managed-policy ARNs and the OIDC client
// from it, so NIC derives both from the configured region instead of assuming the commercial partition.

export interface Partition {
  /** The ARN partition: `arn:<partition>:…`. */
  partition: "aws" | "aws-cn" | "aws-us-gov";
  /** The service domain suffix: `sts.<dnsSuffix>`. */
  dnsSuffix: string;
}

export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
  return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

/** `arn:<partition>:iam::aws:policy/<name>`: an AWS managed policy in the region's partition. */
export const managedPolicyArn = (region: string, name: string) => `arn:${partitionOf(region).partition}:iam::aws:policy/${name}`;

/** True for an AWS managed policy in any partition (customer policies carry an account id instead of `aws`). */
export const isManagedPolicyArn = (arn: string) => /^arn:[^:]+:iam::aws:policy\//.test(arn);
