// The partition NIC writes into ARNs and service domains follows the region, as upstream's `data.aws_partition` does
// (modules/kubernetes/locals.tf: "arn:${local.partition}:iam::aws:policy/…"; main.tf: client_id_list = ["sts.${dns_suffix}"]).
import { expect, test } from "bun:test";
import { desiredResources } from "../../../src/providers/aws/index.ts";
import { isManagedPolicyArn, partitionOf } from "../../../src/providers/aws/partition.ts";
import { configFrom } from "./harness.ts";

const desired = (region: string) =>
  desiredResources(configFrom(`project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: ${region}
  kubernetes_version: '1.31'
  availability_zones: [${region}a, ${region}b]
`));
const policyArns = (region: string) =>
  desired(region).filter((r) => r.kind === "aws/iam_role_policy_attachment").map((r) => r.attributes.policy_arn).filter((a): a is string => typeof a === "string");
const oidcClients = (region: string) => desired(region).find((r) => r.address === "aws/iam_openid_connect_provider/main")!.attributes.client_id_list;

test.each([
  ["us-west-2", "aws", "sts.amazonaws.com"],
  ["cn-north-1", "aws-cn", "sts.amazonaws.com.cn"],
  ["cn-northwest-1", "aws-cn", "sts.amazonaws.com.cn"],
  ["us-gov-west-1", "aws-us-gov", "sts.amazonaws.com"],
])("%s: managed policies in arn:%s, OIDC client %s", (region, partition, client) => {
  expect(partitionOf(region).partition as string).toBe(partition);
  const arns = policyArns(region);
  expect(arns.length).toBe(8); // 3 cluster, 4 node group, the EBS CSI driver's
  for (const arn of arns) expect(arn).toStartWith(`arn:${partition}:iam::aws:policy/`);
  expect(oidcClients(region)).toEqual([client]);
});

test("a managed policy is recognised in every partition, a customer policy in none", () => {
  for (const p of ["aws", "aws-cn", "aws-us-gov"]) expect(isManagedPolicyArn(`arn:${p}:iam::aws:policy/AmazonEKS_CNI_Policy`)).toBe(true);
  expect(isManagedPolicyArn("arn:aws-cn:iam::123456789012:policy/eks-worker-autoscaling-nic-dev2024")).toBe(false);
});
