// Nebari's AWS stage 02 (nebari-stages.md §2.1) as NIC resources: same names, tags, arguments and conditions. Pure.
// Resources others build on also want a settled status (ACTIVE, available): one found still creating, e.g. left by
// a killed run, plans as an update that waits for it.
import { NicError } from "../../cli/errors.ts";
import type { AwsConfig, AwsNodeGroup, NebariConfig } from "../../config/model.ts";
import { ref } from "../../engine/refs.ts";
import type { Resource } from "../../engine/types.ts";
import { cidrSubnet } from "./cidr.ts";
import { managedPolicyArn, partitionOf } from "./partition.ts";
import { addonConfiguration, nodeGroupTags, resourceGroupQuery, workerAutoscalingPolicy, encryptionPolicy, AUTOSCALER_LABEL_TAG } from "./nebari.ts";

const CLUSTER_POLICIES = ["AmazonEKSClusterPolicy", "AmazonEKSServicePolicy", "service-role/AmazonEBSCSIDriverPolicy"];
const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "service-role/AmazonEBSCSIDriverPolicy", "AmazonEC2ContainerRegistryReadOnly"];
const TAINT_EFFECTS = { NoSchedule: "NO_SCHEDULE", PreferNoSchedule: "PREFER_NO_SCHEDULE", NoExecute: "NO_EXECUTE" } as const;

const sorted = <T>(xs: readonly T[]) => [...xs].sort();

/** Every stage-02 resource for an AWS config, dependencies first. */
export function desiredResources(config: NebariConfig): Resource[] {
  const aws = config.amazon_web_services;
  if (!aws) throw new NicError("INTERNAL_ERROR", `The AWS provider was asked for resources of a ${config.provider} configuration.`, { recovery: ["This is a bug in NIC. Please report it."] });
  const name = config.escaped_project_name;
  const env = config.namespace;
  const cluster = config.cluster_name;
  const policy = (p: string) => managedPolicyArn(aws.region, p);
  const tags: Record<string, string> = { Project: name, Owner: "terraform", Environment: env, ...aws.tags };
  const out: Resource[] = [];
  const add = (kind: string, key: string, attributes: Resource["attributes"], extra: Partial<Resource> = {}) => {
    const address = `aws/${kind}/${key}`;
    out.push({ address, kind: `aws/${kind}`, attributes, ...extra });
    return address;
  };

  add("resource_group", "main", { name, description: `project ${name} - environment ${env}`, resource_query: resourceGroupQuery(name, env), tags: { Description: `AWS resources project=${name} and environment=${env}`, ...tags } }, { immutableFields: ["name"] });

  // Network, unless both the subnets and the security group already exist.
  const network = !(aws.existing_subnet_ids && aws.existing_security_group_id);
  const zones = availabilityZones(aws);
  let subnetIds: unknown[] = aws.existing_subnet_ids ?? [];
  let securityGroupId: unknown = aws.existing_security_group_id;
  if (network) {
    const vpc = add("vpc", "main", { cidr_block: aws.vpc_cidr_block, enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: cluster, ...tags, [`kubernetes.io/cluster/${cluster}`]: "shared" } }, { protected: true, immutableFields: ["cidr_block"] });
    const subnets = zones.map((zone, i) =>
      add("subnet", String(i), { vpc_id: ref(vpc), cidr_block: cidrSubnet(aws.vpc_cidr_block, 2, i), availability_zone: zone, map_public_ip_on_launch: true, tags: { Name: `${cluster}-subnet-${i}`, ...tags, [`kubernetes.io/cluster/${cluster}`]: "shared" } }, {
        immutableFields: ["vpc_id", "cidr_block"],
        ignoreFields: ["availability_zone"],
      }),
    );
    const igw = add("internet_gateway", "main", { vpc_id: ref(vpc), tags: { Name: cluster, ...tags } }, { immutableFields: ["vpc_id"] });
    const table = add("route_table", "main", { vpc_id: ref(vpc), routes: [{ destination_cidr_block: "0.0.0.0/0", gateway_id: ref(igw) }], tags: { Name: cluster, ...tags } }, { immutableFields: ["vpc_id"] });
    subnets.forEach((subnet, i) => add("route_table_association", String(i), { route_table_id: ref(table), subnet_id: ref(subnet) }, { immutableFields: ["route_table_id", "subnet_id"] }));
    const sg = add("security_group", "main", {
      name: cluster,
      description: "Main security group for infrastructure deployment",
      vpc_id: ref(vpc),
      ingress: [{ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: [aws.vpc_cidr_block], description: "Allow all ports and protocols to enter the security group" }],
      egress: [{ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"], description: "Allow all ports and protocols to exit the security group" }],
      tags: { Name: cluster, ...tags, [`kubernetes.io/cluster/${cluster}`]: "owned" },
    }, { immutableFields: ["name", "description", "vpc_id"] });
    subnetIds = aws.existing_subnet_ids ?? subnets.map((s) => ref(s));
    securityGroupId = aws.existing_security_group_id ?? ref(sg);
  }

  add("ecr_repository", "jupyterlab", { name: `${cluster}-jupyterlab`, image_tag_mutability: "MUTABLE", scan_on_push: true, tags: { Name: `${cluster}-jupyterlab`, ...tags } }, { immutableFields: ["name"] });

  if (config.storage.type === "efs") {
    const token = `${cluster}-jupyterhub-shared`;
    const efs = add("efs_file_system", "main", { creation_token: token, encrypted: true, performance_mode: "generalPurpose", throughput_mode: "bursting", tags: { Name: token, ...tags }, state: "available" }, {
      protected: true,
      immutableFields: ["creation_token", "encrypted", "performance_mode"],
    });
    subnetIds.forEach((subnet, i) => add("efs_mount_target", String(i), { file_system_id: ref(efs), subnet_id: subnet, security_groups: [securityGroupId] }, { immutableFields: ["file_system_id", "subnet_id"] }));
  }

  // IAM: the cluster and node roles with their managed policies, the autoscaling policy, the KMS policy.
  const boundary = aws.permissions_boundary;
  const role = (key: string, roleName: string, assumeRole: Record<string, unknown>, permissionsBoundary: string | null, roleTags: Record<string, string>) =>
    add("iam_role", key, { name: roleName, assume_role: assumeRole, permissions_boundary: permissionsBoundary, tags: roleTags }, { immutableFields: ["name"] });
  const attach = (key: string, roleKey: string, roleName: string, policyArn: unknown) =>
    add("iam_role_policy_attachment", key, { role: roleName, policy_arn: policyArn }, { dependsOn: [`aws/iam_role/${roleKey}`], immutableFields: ["role", "policy_arn"] });

  const clusterRole = role("cluster", `${cluster}-eks-cluster-role`, { service: "eks.amazonaws.com" }, boundary, tags);
  const clusterAttachments = CLUSTER_POLICIES.map((p, i) => attach(`cluster-policy-${i}`, "cluster", `${cluster}-eks-cluster-role`, policy(p)));
  if (aws.eks_kms_arn) {
    const policy = add("iam_policy", "cluster_encryption", { name: `${cluster}-eks-encryption-policy`, description: "IAM policy for EKS cluster encryption", policy: encryptionPolicy(aws.eks_kms_arn), tags: {} }, { immutableFields: ["name", "description"] });
    clusterAttachments.push(attach("cluster_encryption", "cluster", `${cluster}-eks-cluster-role`, ref(policy, "arn")));
  }
  const nodeRole = role("node_group", `${cluster}-eks-node-group-role`, { service: "ec2.amazonaws.com" }, boundary, tags);
  const nodeAttachments = NODE_POLICIES.map((p, i) => attach(`node-group-policy-${i}`, "node_group", `${cluster}-eks-node-group-role`, policy(p)));
  const autoscaling = add("iam_policy", "worker_autoscaling", { name_prefix: `eks-worker-autoscaling-${cluster}`, description: `EKS worker node autoscaling policy for cluster ${cluster}`, policy: workerAutoscalingPolicy(cluster), tags: {} }, {
    immutableFields: ["name_prefix", "description"],
  });

  const encryption = aws.eks_kms_arn ? { key_arn: aws.eks_kms_arn, resources: ["secrets"] } : null;
  const eks = add("eks_cluster", "main", {
    name: cluster,
    version: aws.kubernetes_version,
    role_arn: ref(clusterRole, "arn"),
    vpc_config: {
      subnet_ids: subnetIds,
      security_group_ids: [securityGroupId],
      endpoint_public_access: aws.eks_endpoint_access !== "private",
      endpoint_private_access: aws.eks_endpoint_access !== "public",
      public_access_cidrs: sorted(aws.eks_public_access_cidrs),
    },
    encryption_config: encryption,
    tags: { Name: cluster, ...tags },
    status: "ACTIVE",
  }, { protected: true, dependsOn: clusterAttachments, immutableFields: ["name", "role_arn", "vpc_config.subnet_ids", "vpc_config.security_group_ids", "encryption_config"] });

  const oidc = add("iam_openid_connect_provider", "main", { url: ref(eks, "oidc_issuer"), client_id_list: [`sts.${partitionOf(aws.region).dnsSuffix}`], tags: { Name: `${cluster}-eks-irsa`, ...tags } }, { immutableFields: ["url"] });
  const irsa = (subjects: Record<string, string>) => ({ federated: ref(oidc, "arn"), conditions: subjects });
  role("ebs_csi_driver", `${cluster}-ebs-csi-driver`, irsa({ sub: "system:serviceaccount:kube-system:ebs-csi-controller-sa", aud: "sts.amazonaws.com" }), null, { Name: `${cluster}-ebs-csi-driver`, ...tags });
  attach("ebs_csi_driver", "ebs_csi_driver", `${cluster}-ebs-csi-driver`, policy("service-role/AmazonEBSCSIDriverPolicy"));
  role("cluster_autoscaler", `${cluster}-cluster-autoscaler`, irsa({ sub: `system:serviceaccount:${env}:cluster-autoscaler`, aud: "sts.amazonaws.com" }), null, { Name: `${cluster}-cluster-autoscaler`, ...tags });
  attach("cluster_autoscaler", "cluster_autoscaler", `${cluster}-cluster-autoscaler`, ref(autoscaling, "arn"));

  const nodeGroups = aws.node_groups.map((ng) =>
    add("eks_node_group", ng.name, nodeGroupAttributes(ng, cluster, ref(nodeRole, "arn"), subnetIds, tags), {
      dependsOn: [eks, ...nodeAttachments],
      ignoreFields: ["scaling.desired_size"],
      immutableFields: ["cluster_name", "node_group_name", "node_role_arn", "subnet_ids", "instance_types", "capacity_type", "ami_type", "disk_size"],
    }),
  );
  for (const addon of ["aws-ebs-csi-driver", "coredns"])
    add("eks_addon", addon, { cluster_name: cluster, addon_name: addon, configuration_values: addonConfiguration(addon), tags: {} }, { dependsOn: [eks, ...nodeGroups], immutableFields: ["cluster_name", "addon_name"] });

  // Nebari's post_deploy: tag each node group's Auto Scaling groups so the autoscaler can scale from zero.
  aws.node_groups.forEach((ng, i) =>
    add("autoscaling_group_tags", ng.name, { cluster_name: cluster, node_group_name: ng.name, autoscaling_groups: ref(nodeGroups[i]!, "autoscaling_groups"), tags: { [AUTOSCALER_LABEL_TAG]: ng.name }, propagate_at_launch: true }),
  );
  return out;
}

function nodeGroupAttributes(ng: AwsNodeGroup, cluster: string, nodeRoleArn: unknown, subnetIds: unknown[], tags: Record<string, string>) {
  return {
    cluster_name: cluster,
    node_group_name: ng.name,
    node_role_arn: nodeRoleArn,
    subnet_ids: ng.single_subnet ? subnetIds.slice(0, 1) : subnetIds,
    instance_types: [ng.instance],
    capacity_type: ng.spot ? "SPOT" : "ON_DEMAND",
    ami_type: ng.gpu ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD",
    disk_size: ng.disk_size ?? 50,
    scaling: { min_size: ng.min_nodes, desired_size: ng.min_nodes, max_size: ng.max_nodes },
    taints: ng.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })).sort((a, b) => a.key.localeCompare(b.key)),
    labels: { ...ng.labels, dedicated: ng.name },
    tags: nodeGroupTags(ng.name, tags),
    status: "ACTIVE",
  };
}

/**
 * The configured zones when there are at least two. A deploy fills them in first, as Nebari does (zones.ts, via the
 * adapter's prepare); `<region>a` and `<region>b` stand in only where desired() is called without that (a pure plan).
 */
export function availabilityZones(aws: AwsConfig): string[] {
  const zones = aws.availability_zones;
  return zones && zones.length >= 2 ? zones : [`${aws.region}a`, `${aws.region}b`];
}

/**
 * NIC address pattern → Nebari's Terraform address (N era), for `nic import`. `<i>` is a count index; for
 * `<name>` (a node group) it is the group's position in the config's node_groups.
 */
export const TERRAFORM_ADDRESSES: Record<string, string> = {
  "aws/resource_group/main": "module.accounting.aws_resourcegroups_group.main",
  "aws/vpc/main": "module.network[0].aws_vpc.main",
  "aws/subnet/<i>": "module.network[0].aws_subnet.main[<i>]",
  "aws/internet_gateway/main": "module.network[0].aws_internet_gateway.main",
  "aws/route_table/main": "module.network[0].aws_route_table.main",
  "aws/route_table_association/<i>": "module.network[0].aws_route_table_association.main[<i>]",
  "aws/security_group/main": "module.network[0].aws_security_group.main",
  "aws/ecr_repository/jupyterlab": "module.registry-jupyterlab.aws_ecr_repository.main",
  "aws/efs_file_system/main": "module.efs[0].aws_efs_file_system.main",
  "aws/efs_mount_target/<i>": "module.efs[0].aws_efs_mount_target.main[<i>]",
  "aws/iam_role/cluster": "module.kubernetes.aws_iam_role.cluster",
  "aws/iam_role_policy_attachment/cluster-policy-<i>": "module.kubernetes.aws_iam_role_policy_attachment.cluster-policy[<i>]",
  "aws/iam_policy/cluster_encryption": "module.kubernetes.aws_iam_policy.cluster_encryption[0]",
  "aws/iam_role_policy_attachment/cluster_encryption": "module.kubernetes.aws_iam_role_policy_attachment.cluster_encryption[0]",
  "aws/iam_role/node_group": "module.kubernetes.aws_iam_role.node-group",
  "aws/iam_role_policy_attachment/node-group-policy-<i>": "module.kubernetes.aws_iam_role_policy_attachment.node-group-policy[<i>]",
  "aws/iam_policy/worker_autoscaling": "module.kubernetes.aws_iam_policy.worker_autoscaling",
  "aws/eks_cluster/main": "module.kubernetes.aws_eks_cluster.main",
  "aws/iam_openid_connect_provider/main": "module.kubernetes.aws_iam_openid_connect_provider.oidc_provider",
  "aws/iam_role/ebs_csi_driver": "module.kubernetes.aws_iam_role.ebs_csi_driver",
  "aws/iam_role_policy_attachment/ebs_csi_driver": "module.kubernetes.aws_iam_role_policy_attachment.ebs_csi_driver",
  "aws/iam_role/cluster_autoscaler": "module.kubernetes.aws_iam_role.cluster_autoscaler",
  "aws/iam_role_policy_attachment/cluster_autoscaler": "module.kubernetes.aws_iam_role_policy_attachment.cluster_autoscaler",
  "aws/eks_node_group/<name>": "module.kubernetes.aws_eks_node_group.main[<i>]",
  "aws/eks_addon/aws-ebs-csi-driver": "module.kubernetes.aws_eks_addon.aws-ebs-csi-driver",
  "aws/eks_addon/coredns": "module.kubernetes.aws_eks_addon.coredns",
  // Not in Terraform: Nebari's post_deploy sets these with boto3.
  "aws/autoscaling_group_tags/<name>": "",
};
