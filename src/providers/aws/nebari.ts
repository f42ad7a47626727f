// The fixed documents and tags Nebari's AWS templates write (infra/template/aws/modules/*).

export const AUTOSCALER_LABEL_TAG = "k8s.io/cluster-autoscaler/node-template/label/dedicated";

/** The accounting group's tag query. */
export function resourceGroupQuery(project: string, environment: string): string {
  return JSON.stringify({
    ResourceTypeFilters: ["AWS::AllSupported"],
    TagFilters: [
      { Key: "Project", Values: [project] },
      { Key: "Environment", Values: [environment] },
      { Key: "Owner", Values: ["terraform", "terraform-state"] },
    ],
  });
}

/** Node-group tags; the literal `propagate_at_launch` tag is a Nebari bug kept for parity. */
export function nodeGroupTags(nodeGroup: string, tags: Record<string, string>): Record<string, string> {
  return { [AUTOSCALER_LABEL_TAG]: nodeGroup, propagate_at_launch: "true", ...tags };
}

export function addonConfiguration(addon: string): Record<string, unknown> {
  const general = { "eks.amazonaws.com/nodegroup": "general" };
  return addon === "aws-ebs-csi-driver" ? { controller: { nodeSelector: general }, defaultStorageClass: { enabled: true } } : { nodeSelector: general };
}

/**
 * IAM policy documents compare by meaning, not by spelling: list order in Action/Resource does not matter, and a one-element list
 * equals its single value (Terraform's aws_iam_policy_document writes either). Both desired and observed documents go through this.
 */
export function canonicalPolicy(doc: unknown): unknown {
  if (!doc || typeof doc !== "object" || !Array.isArray((doc as { Statement?: unknown }).Statement)) return doc;
  const canonicalList = (v: unknown) => (Array.isArray(v) ? (v.length === 1 ? v[0] : [...v].sort()) : v);
  const statements = (doc as { Statement: Record<string, unknown>[] }).Statement.map((st) => {
    const out = { ...st };
    for (const key of ["Action", "NotAction", "Resource", "NotResource"]) if (key in out) out[key] = canonicalList(out[key]);
    return out;
  });
  return { ...(doc as object), Statement: statements };
}

export function workerAutoscalingPolicy(cluster: string) {
  return canonicalPolicy({
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
        Resource: "*",
      },
      {
        Sid: "eksWorkerAutoscalingOwn",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup"],
        Resource: "*",
        Condition: {
          StringEquals: {
            [`autoscaling:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned",
            "autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
          },
        },
      },
    ],
  });
}

export function encryptionPolicy(kmsArn: string) {
  return canonicalPolicy({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: kmsArn }],
  });
}
