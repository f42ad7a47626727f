// NIC's AWS strings against upstream Nebari's own templates (nebari-dev/nebari 1ef6a61,
// src/_nebari/stages/infrastructure/template/aws/**), evaluated by hand for name=nic, environment=dev, tags={team: data}.
// Every expected value here was read from upstream's .tf files (the expression is quoted beside it), never from NIC's output.
// The table in docs/audit/aws.md points at these tests.
import { describe, expect, test } from "bun:test";
import type { Resource } from "../../../src/engine/types.ts";
import { desiredResources } from "../../../src/providers/aws/index.ts";
import { trustPolicy } from "../../../src/providers/aws/kinds/iam-role.ts";
import { canonicalPolicy } from "../../../src/providers/aws/nebari.ts";
import { configFrom } from "./harness.ts";

const config = (block = "", top = "") =>
  configFrom(`project_name: nic
namespace: dev
provider: aws
${top}amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
  tags: {team: data}
${block}`);
const resources = desiredResources(config());
const at = (address: string, rs: Resource[] = resources) => {
  const r = rs.find((x) => x.address === address);
  if (!r) throw new Error(`${address} is not desired`);
  return r.attributes as Record<string, any>;
};
// locals.tf: additional_tags = merge({Project = var.name, Owner = "terraform", Environment = var.environment}, var.tags)
const TAGS = { Project: "nic", Owner: "terraform", Environment: "dev", team: "data" };
const ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/ABC";
const OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC";

describe("modules/accounting/main.tf", () => {
  test("aws_resourcegroups_group.main: name, description, Description tag, query", () => {
    const g = at("aws/resource_group/main");
    expect(g.name).toBe("nic"); // name = var.project
    expect(g.description).toBe("project nic - environment dev"); // "project ${var.project} - environment ${var.environment}"
    // merge({Description = "AWS resources project=${var.project} and environment=${var.environment}"}, var.tags)
    expect(g.tags).toEqual({ Description: "AWS resources project=nic and environment=dev", ...TAGS });
    expect(JSON.parse(g.resource_query)).toEqual({
      ResourceTypeFilters: ["AWS::AllSupported"],
      TagFilters: [
        { Key: "Project", Values: ["nic"] },
        { Key: "Environment", Values: ["dev"] },
        { Key: "Owner", Values: ["terraform", "terraform-state"] },
      ],
    });
  });
});

describe("modules/network/main.tf", () => {
  test("aws_vpc.main: cidr, DNS, merge({Name}, tags, vpc_tags)", () => {
    expect(at("aws/vpc/main")).toEqual({ cidr_block: "10.10.0.0/16", enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: "nic-dev", ...TAGS, "kubernetes.io/cluster/nic-dev": "shared" } });
  });
  test("aws_subnet.main[i]: cidrsubnet(cidr, 2, i), public IPs, Name ${name}-subnet-${i}", () => {
    expect(at("aws/subnet/0")).toMatchObject({ cidr_block: "10.10.0.0/18", map_public_ip_on_launch: true, tags: { Name: "nic-dev-subnet-0", ...TAGS, "kubernetes.io/cluster/nic-dev": "shared" } });
    expect(at("aws/subnet/1")).toMatchObject({ cidr_block: "10.10.64.0/18", tags: { Name: "nic-dev-subnet-1" } });
  });
  test("aws_internet_gateway.main and aws_route_table.main: merge({Name}, tags), 0.0.0.0/0 to the gateway", () => {
    expect(at("aws/internet_gateway/main").tags).toEqual({ Name: "nic-dev", ...TAGS });
    const table = at("aws/route_table/main");
    expect(table.tags).toEqual({ Name: "nic-dev", ...TAGS });
    expect(table.routes).toEqual([{ destination_cidr_block: "0.0.0.0/0", gateway_id: { $ref: "aws/internet_gateway/main", field: "id" } }]);
  });
  test("aws_security_group.main: name, the fixed description, both rules' descriptions, tags", () => {
    const sg = at("aws/security_group/main");
    expect(sg.name).toBe("nic-dev");
    expect(sg.description).toBe("Main security group for infrastructure deployment");
    expect(sg.ingress).toEqual([{ description: "Allow all ports and protocols to enter the security group", from_port: 0, to_port: 0, protocol: "-1", cidr_blocks: ["10.10.0.0/16"] }]);
    expect(sg.egress).toEqual([{ description: "Allow all ports and protocols to exit the security group", from_port: 0, to_port: 0, protocol: "-1", cidr_blocks: ["0.0.0.0/0"] }]);
    expect(sg.tags).toEqual({ Name: "nic-dev", ...TAGS, "kubernetes.io/cluster/nic-dev": "owned" });
  });
  test("a user tag cannot override the cluster tag (vpc_tags/subnet_tags/security_group_tags merge last)", () => {
    const rs = desiredResources(configFrom(`project_name: nic\nnamespace: dev\nprovider: aws\namazon_web_services:\n  region: us-west-2\n  kubernetes_version: '1.31'\n  tags: {"kubernetes.io/cluster/nic-dev": mine, Name: custom}\n`));
    expect(at("aws/vpc/main", rs).tags).toMatchObject({ Name: "custom", "kubernetes.io/cluster/nic-dev": "shared" });
    expect(at("aws/security_group/main", rs).tags).toMatchObject({ Name: "custom", "kubernetes.io/cluster/nic-dev": "owned" });
  });
});

describe("modules/registry/main.tf and modules/efs/main.tf", () => {
  test("aws_ecr_repository.main: name ${cluster}-jupyterlab, scan on push, merge({Name}, tags)", () => {
    expect(at("aws/ecr_repository/jupyterlab")).toMatchObject({ name: "nic-dev-jupyterlab", scan_on_push: true, tags: { Name: "nic-dev-jupyterlab", ...TAGS } });
  });
  test("aws_efs_file_system.main: creation_token, encrypted, bursting, merge({Name}, tags); mount targets in the main group", () => {
    expect(at("aws/efs_file_system/main")).toMatchObject({ creation_token: "nic-dev-jupyterhub-shared", encrypted: true, throughput_mode: "bursting", tags: { Name: "nic-dev-jupyterhub-shared", ...TAGS } });
    expect(at("aws/efs_mount_target/0").security_groups).toEqual([{ $ref: "aws/security_group/main", field: "id" }]);
  });
});

describe("modules/kubernetes/policy.tf and locals.tf", () => {
  test("aws_iam_role.cluster and node-group: names, service trust, tags = var.tags", () => {
    expect(at("aws/iam_role/cluster")).toMatchObject({ name: "nic-dev-eks-cluster-role", assume_role: { service: "eks.amazonaws.com" }, permissions_boundary: null, tags: TAGS });
    expect(at("aws/iam_role/node_group")).toMatchObject({ name: "nic-dev-eks-node-group-role", assume_role: { service: "ec2.amazonaws.com" }, permissions_boundary: null, tags: TAGS });
    expect(JSON.parse(trustPolicy({ service: "eks.amazonaws.com" }))).toEqual({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "eks.amazonaws.com" } }], Version: "2012-10-17" });
  });
  test("cluster_policies and node_group_policies (+ ECR read-only from main.tf), in count order", () => {
    const arn = (a: string) => at(`aws/iam_role_policy_attachment/${a}`).policy_arn;
    expect([0, 1, 2].map((i) => arn(`cluster-policy-${i}`))).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
      "arn:aws:iam::aws:policy/AmazonEKSServicePolicy",
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    ]);
    expect([0, 1, 2, 3].map((i) => arn(`node-group-policy-${i}`))).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ]);
  });
  test("aws_iam_policy.cluster_encryption: name, description, document, no tags", () => {
    const kms = "arn:aws:kms:us-west-2:123456789012:key/abc";
    const p = at("aws/iam_policy/cluster_encryption", desiredResources(config(`  eks_kms_arn: ${kms}\n`)));
    expect(p.name).toBe("nic-dev-eks-encryption-policy");
    expect(p.description).toBe("IAM policy for EKS cluster encryption");
    expect(p.tags ?? {}).toEqual({});
    expect(p.policy).toEqual(canonicalPolicy({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: [kms] }] }));
  });
});

describe("modules/kubernetes/autoscaling.tf", () => {
  test("aws_iam_policy.worker_autoscaling: name_prefix, description, both statements, no tags", () => {
    const p = at("aws/iam_policy/worker_autoscaling");
    expect(p.name_prefix).toBe("eks-worker-autoscaling-nic-dev");
    expect(p.description).toBe("EKS worker node autoscaling policy for cluster nic-dev");
    expect(p.tags ?? {}).toEqual({});
    expect(p.policy).toEqual(
      canonicalPolicy({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "eksWorkerAutoscalingAll",
            Effect: "Allow",
            Action: [
              "autoscaling:DescribeAutoScalingGroups",
              "autoscaling:DescribeAutoScalingInstances",
              "autoscaling:DescribeLaunchConfigurations",
              "autoscaling:DescribeTags",
              "ec2:DescribeImages",
              "ec2:DescribeInstanceTypes",
              "ec2:DescribeLaunchTemplateVersions",
              "ec2:GetInstanceTypesFromInstanceRequirements",
              "eks:DescribeNodegroup",
            ],
            Resource: ["*"],
          },
          {
            Sid: "eksWorkerAutoscalingOwn",
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup"],
            Resource: ["*"],
            Condition: { StringEquals: { "autoscaling:ResourceTag/kubernetes.io/cluster/nic-dev": "owned", "autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true" } },
          },
        ],
      }),
    );
  });
});

describe("modules/kubernetes/main.tf", () => {
  test("aws_eks_cluster.main: name, version, endpoint access, CIDRs, merge({Name}, tags)", () => {
    expect(at("aws/eks_cluster/main")).toMatchObject({
      name: "nic-dev",
      version: "1.31",
      vpc_config: { endpoint_public_access: true, endpoint_private_access: false, public_access_cidrs: ["0.0.0.0/0"] },
      encryption_config: null,
      tags: { Name: "nic-dev", ...TAGS },
    });
  });
  test("aws_iam_openid_connect_provider.oidc_provider: sts.${dns_suffix}, merge({Name = ${name}-eks-irsa}, tags)", () => {
    expect(at("aws/iam_openid_connect_provider/main")).toMatchObject({ client_id_list: ["sts.amazonaws.com"], tags: { Name: "nic-dev-eks-irsa", ...TAGS } });
  });
  // The trust documents as NIC sends them, with the issuer filled in, against upstream's jsonencode({...}).
  const irsaTrust = (subject: string) => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: OIDC_ARN },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${ISSUER.replace("https://", "")}:sub`]: subject, [`${ISSUER.replace("https://", "")}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  });
  const sent = (address: string) => JSON.parse(trustPolicy({ ...at(address).assume_role, federated: OIDC_ARN }));
  test("aws_iam_role.ebs_csi_driver: name, trust with :sub and :aud, merge({Name}, tags), no boundary", () => {
    const role = at("aws/iam_role/ebs_csi_driver");
    expect(role.name).toBe("nic-dev-ebs-csi-driver");
    expect(role.tags).toEqual({ Name: "nic-dev-ebs-csi-driver", ...TAGS });
    expect(role.permissions_boundary).toBeNull();
    expect(sent("aws/iam_role/ebs_csi_driver")).toEqual(irsaTrust("system:serviceaccount:kube-system:ebs-csi-controller-sa"));
    expect(at("aws/iam_role_policy_attachment/ebs_csi_driver").policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
  });
  test("aws_iam_role.cluster_autoscaler: name, trust for ${environment}:cluster-autoscaler, merge({Name}, tags), the worker policy", () => {
    const role = at("aws/iam_role/cluster_autoscaler");
    expect(role.name).toBe("nic-dev-cluster-autoscaler");
    expect(role.tags).toEqual({ Name: "nic-dev-cluster-autoscaler", ...TAGS });
    expect(sent("aws/iam_role/cluster_autoscaler")).toEqual(irsaTrust("system:serviceaccount:dev:cluster-autoscaler"));
    expect(at("aws/iam_role_policy_attachment/cluster_autoscaler").policy_arn).toEqual({ $ref: "aws/iam_policy/worker_autoscaling", field: "arn" });
  });
  test("aws_eks_node_group.main[i]: types, capacity, AL2023 AMI, disk 50, scaling, taints, labels, tags", () => {
    // DEFAULT_AWS_NODE_GROUPS and set_missing_taints_to_default_taints (__init__.py): worker gets dedicated=nebari:NoSchedule
    const worker = at("aws/eks_node_group/worker");
    expect(worker).toMatchObject({
      cluster_name: "nic-dev",
      node_group_name: "worker",
      instance_types: ["m5.xlarge"],
      capacity_type: "ON_DEMAND",
      ami_type: "AL2023_x86_64_STANDARD",
      disk_size: 50,
      scaling: { min_size: 0, desired_size: 0, max_size: 5 },
      taints: [{ key: "dedicated", value: "nebari", effect: "NO_SCHEDULE" }],
      labels: { dedicated: "worker" },
      tags: { "k8s.io/cluster-autoscaler/node-template/label/dedicated": "worker", propagate_at_launch: "true", ...TAGS },
    });
    expect(at("aws/eks_node_group/general")).toMatchObject({ instance_types: ["m5.2xlarge"], scaling: { min_size: 1, desired_size: 1, max_size: 1 }, taints: [] });
    const gpu = at("aws/eks_node_group/g", desiredResources(config(`  node_groups:\n    g: {instance: g4dn.xlarge, gpu: true, spot: true}\n`)));
    expect(gpu).toMatchObject({ ami_type: "AL2023_x86_64_NVIDIA", capacity_type: "SPOT" });
  });
  test("aws_eks_addon: aws-ebs-csi-driver and coredns, their configuration_values, no tags", () => {
    expect(at("aws/eks_addon/aws-ebs-csi-driver")).toMatchObject({ addon_name: "aws-ebs-csi-driver", configuration_values: { controller: { nodeSelector: { "eks.amazonaws.com/nodegroup": "general" } }, defaultStorageClass: { enabled: true } } });
    expect(at("aws/eks_addon/coredns")).toMatchObject({ addon_name: "coredns", configuration_values: { nodeSelector: { "eks.amazonaws.com/nodegroup": "general" } } });
    for (const a of ["aws-ebs-csi-driver", "coredns"]) expect(at(`aws/eks_addon/${a}`).tags ?? {}).toEqual({});
  });
});

describe("provider/cloud/amazon_web_services.py set_asg_tags (post_deploy, not Terraform)", () => {
  test("every node group's ASGs get the node-template label tag, PropagateAtLaunch", () => {
    expect(at("aws/autoscaling_group_tags/user")).toMatchObject({ node_group_name: "user", tags: { "k8s.io/cluster-autoscaler/node-template/label/dedicated": "user" }, propagate_at_launch: true });
  });
});
