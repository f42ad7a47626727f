// Nebari's AWS stage 02 Terraform addresses (nebari-stages.md §2.1) → NIC's `aws/…` addresses, old releases included.
// Ids follow Terraform's import ids (what the AWS APIs look things up by): names for roles, clusters and repositories,
// `<role>/<policy arn>` for policy attachments, `<cluster>/<name>` for node groups and add-ons (Terraform writes `:`).
import { arnOf, block, num, single, str, type Instance, type Rule, type RuleTable, type Target } from "../map.ts";

const MANAGED_POLICY = /^arn:[^:]+:iam::aws:policy\/(.+)$/;
const CLUSTER_POLICIES = ["AmazonEKSClusterPolicy", "AmazonEKSServicePolicy", "service-role/AmazonEBSCSIDriverPolicy"];
const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "service-role/AmazonEBSCSIDriverPolicy", "AmazonEC2ContainerRegistryReadOnly"];

/** Nebari moved node groups from Amazon Linux 2 to AL2023; NIC's config asks for the AL2023 type of the same family. */
export const AL2_TO_AL2023: Record<string, string> = {
  AL2_x86_64: "AL2023_x86_64_STANDARD",
  AL2_x86_64_GPU: "AL2023_x86_64_NVIDIA",
  AL2_ARM_64: "AL2023_ARM_64_STANDARD",
};

function attachment(address: string, a: Record<string, unknown>) {
  return { address, id: `${str(a, "role")}/${str(a, "policy_arn")}`, attributes: { role: str(a, "role"), policy_arn: str(a, "policy_arn") } };
}

/**
 * Policy attachments are count-indexed, and the index of a policy changed between releases (R: index 3 is the
 * autoscaling policy and 4 ECR; N: 3 is ECR). NIC keys them by policy, so the policy ARN decides, not the index.
 */
function policyAttachment(prefix: string, policies: string[]): Rule {
  return ({ key, attributes }: Instance): Target => {
    const policy = MANAGED_POLICY.exec(str(attributes, "policy_arn"))?.[1];
    const index = policy ? policies.indexOf(policy) : -1;
    if (index >= 0) {
      const history = index !== key ? `index ${key} holds policy ${index} in this release's order` : undefined;
      return { ...attachment(`aws/iam_role_policy_attachment/${prefix}-${index}`, attributes), ...(history && { history }) };
    }
    if (str(attributes, "policy_arn").includes(":policy/eks-worker-autoscaling-")) {
      return { unmanaged: "Nebari before 2025.10.1 attached the autoscaling policy to the node role; NIC attaches it to the cluster-autoscaler IRSA role instead and leaves this attachment as it is" };
    }
    return { unmanaged: `policy ${str(attributes, "policy_arn")} is not one Nebari attaches here` };
  };
}

const nodeGroup: Rule = ({ attributes }) => {
  const name = str(attributes, "node_group_name");
  const scaling = block(attributes, "scaling_config");
  const types = attributes.instance_types;
  const ami = str(attributes, "ami_type");
  return {
    address: `aws/eks_node_group/${name}`,
    id: `${str(attributes, "cluster_name")}/${name}`,
    ...arnOf(attributes),
    ...(AL2_TO_AL2023[ami] && { history: `ami_type ${ami} (Amazon Linux 2, Nebari before AL2023; NIC asks for ${AL2_TO_AL2023[ami]})` }),
    facts: { node_groups: [{ name, instance: Array.isArray(types) ? String(types[0]) : undefined, min: num(scaling.min_size), max: num(scaling.max_size) }] },
  };
};

const addon: Rule = ({ attributes }) => ({
  address: `aws/eks_addon/${str(attributes, "addon_name")}`,
  id: `${str(attributes, "cluster_name")}/${str(attributes, "addon_name")}`,
  ...arnOf(attributes),
});

export const AWS_RULES: RuleTable = {
  countedModules: { "module.network": "2023.10.1", "module.efs": "2024.9.1" },
  // Nebari's post_deploy tags the node groups' Auto Scaling groups with boto3 (set_asg_tags).
  outsideTerraform: ["aws/autoscaling_group_tags"],
  // What Nebari's releases from 2023.10 to 2025.10 made differently from today's templates (docs/takeover.md): Amazon
  // Linux 2 and, before 2024.3.1, no `dedicated` label and the `kubernetes.io/cluster` tag on node groups; add-on settings
  // (none before 2024.3.3, no defaultStorageClass before 2025.2.1); security group rules without descriptions (before
  // 2024.12.1); the autoscaling policy's shorter action list (before 2025.10.1); immutable settings of EFS and the
  // security group. None of these is something the configuration says.
  keep: {
    "aws/eks_node_group": ["ami_type", "disk_size", "labels", "tags"],
    "aws/eks_addon": ["configuration_values"],
    "aws/security_group": ["description", "ingress", "egress"],
    "aws/iam_policy": ["description", "policy"],
    "aws/efs_file_system": ["encrypted", "performance_mode", "throughput_mode"],
    "aws/iam_openid_connect_provider": ["client_id_list"],
    // Before 2025.10.1's successor: no IRSA roles (the autoscaler used the node role); before 2024.3.3: no coredns add-on.
    absent: [
      "aws/iam_role/ebs_csi_driver",
      "aws/iam_role_policy_attachment/ebs_csi_driver",
      "aws/iam_role/cluster_autoscaler",
      "aws/iam_role_policy_attachment/cluster_autoscaler",
      "aws/eks_addon/coredns",
    ],
  },
  rules: {
    // Only the name: NIC's kind then reads the group's query live instead of trusting a tracked copy.
    "module.accounting.aws_resourcegroups_group.main": ({ attributes }) => ({ address: "aws/resource_group/main", id: str(attributes, "name") }),
    "module.network.aws_vpc.main": single("aws/vpc/main"),
    "module.network.aws_subnet.main": ({ key, attributes }) => ({ address: `aws/subnet/${key ?? 0}`, id: str(attributes, "id"), ...arnOf(attributes) }),
    "module.network.aws_internet_gateway.main": single("aws/internet_gateway/main"),
    "module.network.aws_route_table.main": single("aws/route_table/main"),
    "module.network.aws_route_table_association.main": ({ key, attributes }) => ({
      address: `aws/route_table_association/${key ?? 0}`,
      id: str(attributes, "id"),
      attributes: { route_table_id: str(attributes, "route_table_id"), subnet_id: str(attributes, "subnet_id") },
    }),
    "module.network.aws_security_group.main": single("aws/security_group/main"),
    "module.registry-jupyterlab.aws_ecr_repository.main": single("aws/ecr_repository/jupyterlab", "name"),
    "module.efs.aws_efs_file_system.main": single("aws/efs_file_system/main"),
    "module.efs.aws_efs_mount_target.main": ({ key, attributes }) => ({
      address: `aws/efs_mount_target/${key ?? 0}`,
      id: str(attributes, "id"),
      attributes: { file_system_id: str(attributes, "file_system_id"), subnet_id: str(attributes, "subnet_id"), security_groups: attributes.security_groups ?? [] },
    }),
    "module.kubernetes.aws_iam_role.cluster": single("aws/iam_role/cluster", "name"),
    "module.kubernetes.aws_iam_role_policy_attachment.cluster-policy": policyAttachment("cluster-policy", CLUSTER_POLICIES),
    "module.kubernetes.aws_iam_policy.cluster_encryption": single("aws/iam_policy/cluster_encryption", "arn"),
    "module.kubernetes.aws_iam_role_policy_attachment.cluster_encryption": ({ attributes }) => attachment("aws/iam_role_policy_attachment/cluster_encryption", attributes),
    "module.kubernetes.aws_eks_cluster.main": single("aws/eks_cluster/main", "name", (a) => ({ facts: { kubernetes_version: str(a, "version") } })),
    "module.kubernetes.aws_iam_role.node-group": single("aws/iam_role/node_group", "name"),
    "module.kubernetes.aws_iam_role_policy_attachment.node-group-policy": policyAttachment("node-group-policy", NODE_POLICIES),
    // Nebari names them `main[i]` by config position; some forks name them by group. Either way the group's name decides.
    "module.kubernetes.aws_eks_node_group.*": nodeGroup,
    "module.kubernetes.aws_eks_addon.*": addon,
    "module.kubernetes.aws_iam_openid_connect_provider.oidc_provider": single("aws/iam_openid_connect_provider/main", "arn"),
    "module.kubernetes.aws_iam_policy.worker_autoscaling": single("aws/iam_policy/worker_autoscaling", "arn"),
    "module.kubernetes.aws_iam_role.ebs_csi_driver": single("aws/iam_role/ebs_csi_driver", "name"),
    "module.kubernetes.aws_iam_role_policy_attachment.ebs_csi_driver": ({ attributes }) => attachment("aws/iam_role_policy_attachment/ebs_csi_driver", attributes),
    "module.kubernetes.aws_iam_role.cluster_autoscaler": single("aws/iam_role/cluster_autoscaler", "name"),
    "module.kubernetes.aws_iam_role_policy_attachment.cluster_autoscaler": ({ attributes }) => attachment("aws/iam_role_policy_attachment/cluster_autoscaler", attributes),
    "module.kubernetes.aws_launch_template.*": () => ({ unmanaged: "Nebari's templates never set launch_template; NIC does not manage launch templates and leaves this one as it is" }),
  },
};
