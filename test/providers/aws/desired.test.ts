// desiredResources: Nebari's stage-02 resources for AWS configs, checked field by field (pure, no sandbox).
import { describe, expect, test } from "bun:test";
import type { Resource } from "../../../src/engine/types.ts";
import { desiredResources, TERRAFORM_ADDRESSES } from "../../../src/providers/aws/index.ts";
import { cidrSubnet } from "../../../src/providers/aws/cidr.ts";
import { configFrom } from "./harness.ts";

const base = (block = "", top = "") =>
  configFrom(`project_name: nic
namespace: dev
provider: aws
${top}amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
${block}`);

const byAddress = (resources: Resource[]) => new Map(resources.map((r) => [r.address, r]));
const attrs = (resources: Resource[], address: string) => {
  const r = byAddress(resources).get(address);
  if (!r) throw new Error(`${address} is not desired; have ${resources.map((x) => x.address).join(", ")}`);
  return r.attributes as Record<string, any>;
};

describe("default config", () => {
  const resources = desiredResources(base());
  const addresses = resources.map((r) => r.address);

  test("every stage-02 resource, once, with its kind", () => {
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const r of resources) expect(r.address.startsWith(`${r.kind}/`)).toBe(true);
    expect(addresses).toEqual([
      "aws/resource_group/main", "aws/vpc/main", "aws/subnet/0", "aws/subnet/1", "aws/internet_gateway/main", "aws/route_table/main",
      "aws/route_table_association/0", "aws/route_table_association/1", "aws/security_group/main", "aws/ecr_repository/jupyterlab",
      "aws/efs_file_system/main", "aws/efs_mount_target/0", "aws/efs_mount_target/1", "aws/iam_role/cluster",
      "aws/iam_role_policy_attachment/cluster-policy-0", "aws/iam_role_policy_attachment/cluster-policy-1", "aws/iam_role_policy_attachment/cluster-policy-2",
      "aws/iam_role/node_group", "aws/iam_role_policy_attachment/node-group-policy-0", "aws/iam_role_policy_attachment/node-group-policy-1",
      "aws/iam_role_policy_attachment/node-group-policy-2", "aws/iam_role_policy_attachment/node-group-policy-3", "aws/iam_policy/worker_autoscaling",
      "aws/eks_cluster/main", "aws/iam_openid_connect_provider/main", "aws/iam_role/ebs_csi_driver", "aws/iam_role_policy_attachment/ebs_csi_driver",
      "aws/iam_role/cluster_autoscaler", "aws/iam_role_policy_attachment/cluster_autoscaler",
      "aws/eks_node_group/general", "aws/eks_node_group/user", "aws/eks_node_group/worker",
      "aws/eks_addon/aws-ebs-csi-driver", "aws/eks_addon/coredns",
      "aws/autoscaling_group_tags/general", "aws/autoscaling_group_tags/user", "aws/autoscaling_group_tags/worker",
    ]);
  });

  test("every address has a documented Terraform address", () => {
    const patterns = Object.keys(TERRAFORM_ADDRESSES).map((p) => new RegExp(`^${p.replace(/<i>/g, "\\d+").replace(/<name>/g, "[^/]+")}$`));
    for (const a of addresses) expect(patterns.some((p) => p.test(a))).toBe(true);
  });

  test("the VPC, subnets and security group carry Nebari's names and tags", () => {
    const tags = { Project: "nic", Owner: "terraform", Environment: "dev" };
    expect(attrs(resources, "aws/vpc/main")).toEqual({ cidr_block: "10.10.0.0/16", enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: "nic-dev", "kubernetes.io/cluster/nic-dev": "shared", ...tags } });
    expect(attrs(resources, "aws/subnet/1")).toMatchObject({ cidr_block: "10.10.64.0/18", availability_zone: "us-west-2b", map_public_ip_on_launch: true, tags: { Name: "nic-dev-subnet-1", "kubernetes.io/cluster/nic-dev": "shared" } });
    expect(attrs(resources, "aws/security_group/main")).toMatchObject({ name: "nic-dev", tags: { Name: "nic-dev", "kubernetes.io/cluster/nic-dev": "owned", ...tags } });
    expect(attrs(resources, "aws/ecr_repository/jupyterlab")).toEqual({ name: "nic-dev-jupyterlab", image_tag_mutability: "MUTABLE", scan_on_push: true, tags: { Name: "nic-dev-jupyterlab", ...tags } });
    expect(attrs(resources, "aws/efs_file_system/main")).toMatchObject({ creation_token: "nic-dev-jupyterhub-shared", encrypted: true, throughput_mode: "bursting" });
  });

  test("protected, immutable and ignored fields", () => {
    const map = byAddress(resources);
    expect(["aws/vpc/main", "aws/efs_file_system/main", "aws/eks_cluster/main"].every((a) => map.get(a)!.protected)).toBe(true);
    expect(resources.filter((r) => r.protected).length).toBe(3);
    expect(map.get("aws/subnet/0")!.immutableFields).toContain("cidr_block");
    expect(map.get("aws/subnet/0")!.ignoreFields).toEqual(["availability_zone"]);
    expect(map.get("aws/eks_node_group/user")!.ignoreFields).toEqual(["scaling.desired_size"]);
    expect(map.get("aws/eks_cluster/main")!.immutableFields).not.toContain("version");
  });

  test("IAM: exact policy attachments (N era) and IRSA trust", () => {
    const policy = (k: string) => attrs(resources, `aws/iam_role_policy_attachment/${k}`).policy_arn;
    expect([0, 1, 2].map((i) => policy(`cluster-policy-${i}`))).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "arn:aws:iam::aws:policy/AmazonEKSServicePolicy", "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    ]);
    expect([0, 1, 2, 3].map((i) => policy(`node-group-policy-${i}`))).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ]);
    expect(policy("cluster_autoscaler")).toEqual({ $ref: "aws/iam_policy/worker_autoscaling", field: "arn" });
    expect(attrs(resources, "aws/iam_role/cluster_autoscaler")).toMatchObject({ name: "nic-dev-cluster-autoscaler", assume_role: { conditions: { sub: "system:serviceaccount:dev:cluster-autoscaler", aud: "sts.amazonaws.com" } } });
    expect(attrs(resources, "aws/iam_role/ebs_csi_driver").assume_role.conditions).toEqual({ sub: "system:serviceaccount:kube-system:ebs-csi-controller-sa", aud: "sts.amazonaws.com" });
    expect(attrs(resources, "aws/iam_policy/worker_autoscaling").policy.Statement[1].Condition.StringEquals).toHaveProperty(["autoscaling:ResourceTag/kubernetes.io/cluster/nic-dev"], "owned");
    expect(byAddress(resources).has("aws/iam_policy/cluster_encryption")).toBe(false);
  });

  test("cluster: version, public endpoint, no encryption", () => {
    expect(attrs(resources, "aws/eks_cluster/main")).toMatchObject({
      name: "nic-dev",
      version: "1.31",
      vpc_config: { endpoint_public_access: true, endpoint_private_access: false, public_access_cidrs: ["0.0.0.0/0"] },
      encryption_config: null,
      tags: { Name: "nic-dev" },
    });
  });

  test("default node groups: taints, labels, AMI, scaling, tags, in config order", () => {
    const user = attrs(resources, "aws/eks_node_group/user");
    expect(user).toMatchObject({
      instance_types: ["m5.xlarge"],
      capacity_type: "ON_DEMAND",
      ami_type: "AL2023_x86_64_STANDARD",
      disk_size: 50,
      scaling: { min_size: 0, desired_size: 0, max_size: 5 },
      taints: [{ key: "dedicated", value: "nebari", effect: "NO_SCHEDULE" }],
      labels: { dedicated: "user" },
      tags: { "k8s.io/cluster-autoscaler/node-template/label/dedicated": "user", propagate_at_launch: "true", Project: "nic" },
    });
    expect(attrs(resources, "aws/eks_node_group/general").taints).toEqual([]);
    expect(attrs(resources, "aws/autoscaling_group_tags/worker")).toMatchObject({ tags: { "k8s.io/cluster-autoscaler/node-template/label/dedicated": "worker" }, propagate_at_launch: true });
  });

  test("add-ons carry Nebari's configuration values", () => {
    expect(attrs(resources, "aws/eks_addon/aws-ebs-csi-driver").configuration_values).toEqual({ controller: { nodeSelector: { "eks.amazonaws.com/nodegroup": "general" } }, defaultStorageClass: { enabled: true } });
    expect(attrs(resources, "aws/eks_addon/coredns").configuration_values).toEqual({ nodeSelector: { "eks.amazonaws.com/nodegroup": "general" } });
  });
});

test("gpu, spot and single-subnet groups, a disk size, in config order", () => {
  const resources = desiredResources(base(`  node_groups:
    worker: {instance: m5.xlarge, min_nodes: 1, max_nodes: 3, spot: true}
    gpu: {instance: g4dn.xlarge, max_nodes: 2, gpu: true, single_subnet: true, taints: ["nvidia.com/gpu=present:NoExecute"]}
    general: {instance: m5.2xlarge, min_nodes: 1, max_nodes: 1}
`));
  expect(resources.filter((r) => r.kind === "aws/eks_node_group").map((r) => r.address)).toEqual(["aws/eks_node_group/worker", "aws/eks_node_group/gpu", "aws/eks_node_group/general"]);
  expect(attrs(resources, "aws/eks_node_group/worker")).toMatchObject({ capacity_type: "SPOT", scaling: { min_size: 1, desired_size: 1, max_size: 3 } });
  const gpu = attrs(resources, "aws/eks_node_group/gpu");
  expect(gpu).toMatchObject({ ami_type: "AL2023_x86_64_NVIDIA", taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NO_EXECUTE" }] });
  expect(gpu.subnet_ids).toEqual([{ $ref: "aws/subnet/0", field: "id" }]);
  expect(attrs(resources, "aws/eks_node_group/general").subnet_ids).toHaveLength(2);
});

test("an existing network: no VPC, the given subnets and security group everywhere", () => {
  const resources = desiredResources(base(`  existing_subnet_ids: [subnet-a, subnet-b, subnet-c]
  existing_security_group_id: sg-1
`));
  expect(resources.some((r) => ["aws/vpc", "aws/subnet", "aws/internet_gateway", "aws/route_table", "aws/security_group"].includes(r.kind))).toBe(false);
  expect(attrs(resources, "aws/eks_cluster/main").vpc_config).toMatchObject({ subnet_ids: ["subnet-a", "subnet-b", "subnet-c"], security_group_ids: ["sg-1"] });
  expect(resources.filter((r) => r.kind === "aws/efs_mount_target").map((r) => r.attributes.subnet_id)).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
  expect(attrs(resources, "aws/efs_mount_target/2").security_groups).toEqual(["sg-1"]);
});

test("storage nfs: no EFS", () => {
  const resources = desiredResources(base("", "storage:\n  type: nfs\n"));
  expect(resources.some((r) => r.kind.startsWith("aws/efs"))).toBe(false);
});

test("a KMS key: encryption policy attached to the cluster role, secrets encryption", () => {
  const kms = "arn:aws:kms:us-west-2:123456789012:key/abc";
  const resources = desiredResources(base(`  eks_kms_arn: ${kms}\n  eks_endpoint_access: public_and_private\n  eks_public_access_cidrs: [10.0.0.0/8, 1.2.3.4/32]\n`));
  expect(attrs(resources, "aws/iam_policy/cluster_encryption")).toMatchObject({ name: "nic-dev-eks-encryption-policy", policy: { Statement: [{ Resource: kms }] } });
  expect(attrs(resources, "aws/iam_role_policy_attachment/cluster_encryption")).toEqual({ role: "nic-dev-eks-cluster-role", policy_arn: { $ref: "aws/iam_policy/cluster_encryption", field: "arn" } });
  const cluster = attrs(resources, "aws/eks_cluster/main");
  expect(cluster.encryption_config).toEqual({ key_arn: kms, resources: ["secrets"] });
  expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, endpoint_private_access: true, public_access_cidrs: ["1.2.3.4/32", "10.0.0.0/8"] });
  expect(byAddress(resources).get("aws/eks_cluster/main")!.dependsOn).toContain("aws/iam_role_policy_attachment/cluster_encryption");
});

test("config tags merge over Nebari's (config wins) and reach every tagged resource", () => {
  const resources = desiredResources(base(`  tags: {team: data, Owner: me}\n`));
  // Upstream tags neither its IAM policies nor the EKS add-ons.
  const untagged = (r: { kind: string }) => ["aws/autoscaling_group_tags", "aws/iam_policy", "aws/eks_addon"].includes(r.kind);
  for (const r of resources.filter((x) => x.attributes.tags && !untagged(x))) expect(r.attributes.tags).toMatchObject({ Project: "nic", Owner: "me", Environment: "dev", team: "data" });
  expect(attrs(resources, "aws/resource_group/main").tags).toMatchObject({ Description: "AWS resources project=nic and environment=dev" });
});

test("an escaped project name (aws prefix) names everything", () => {
  const config = configFrom(`project_name: awsome\nnamespace: prod\nprovider: aws\namazon_web_services:\n  region: us-east-1\n  kubernetes_version: '1.31'\n  availability_zones: [us-east-1c, us-east-1d, us-east-1e]\n`);
  const resources = desiredResources(config);
  expect(attrs(resources, "aws/eks_cluster/main").name).toBe("aawsome-prod");
  expect(attrs(resources, "aws/resource_group/main").name).toBe("aawsome");
  expect(resources.filter((r) => r.kind === "aws/subnet").map((r) => [r.attributes.availability_zone, r.attributes.cidr_block])).toEqual([
    ["us-east-1c", "10.10.0.0/18"], ["us-east-1d", "10.10.64.0/18"], ["us-east-1e", "10.10.128.0/18"],
  ]);
});

test("cidrsubnet as Terraform computes it", () => {
  expect(cidrSubnet("10.10.0.0/16", 2, 3)).toBe("10.10.192.0/18");
  expect(cidrSubnet("172.16.5.0/24", 4, 2)).toBe("172.16.5.32/28");
  expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow();
});
