// The AWS provider: Nebari stage 02 on EKS as desired resources, the kinds that reconcile them, outputs and tokens.
import type { ResourceKind } from "../../engine/types.ts";
import { awsClients, type AwsOptions } from "./clients.ts";
import { autoscalingGroupTagsKind } from "./kinds/autoscaling-group-tags.ts";
import { ecrRepositoryKind } from "./kinds/ecr-repository.ts";
import { efsFileSystemKind } from "./kinds/efs-file-system.ts";
import { efsMountTargetKind } from "./kinds/efs-mount-target.ts";
import { eksAddonKind } from "./kinds/eks-addon.ts";
import { eksClusterKind } from "./kinds/eks-cluster.ts";
import { eksNodeGroupKind } from "./kinds/eks-node-group.ts";
import { iamOidcProviderKind } from "./kinds/iam-oidc-provider.ts";
import { iamPolicyKind } from "./kinds/iam-policy.ts";
import { iamRolePolicyAttachmentKind } from "./kinds/iam-role-policy-attachment.ts";
import { iamRoleKind } from "./kinds/iam-role.ts";
import { internetGatewayKind } from "./kinds/internet-gateway.ts";
import { resourceGroupKind } from "./kinds/resource-group.ts";
import { routeTableAssociationKind } from "./kinds/route-table-association.ts";
import { routeTableKind } from "./kinds/route-table.ts";
import { securityGroupKind } from "./kinds/security-group.ts";
import { subnetKind } from "./kinds/subnet.ts";
import { vpcKind } from "./kinds/vpc.ts";

export { desiredResources, TERRAFORM_ADDRESSES } from "./desired.ts";
export { awsRetryClassifier } from "./errors.ts";
export { awsOutputs, type ClusterOutputs } from "./outputs.ts";
export { eksToken } from "./token.ts";

/** Every AWS resource kind, sharing lazily created SDK clients. */
export function awsKinds(opts: AwsOptions): ResourceKind[] {
  const aws = awsClients(opts);
  return [
    resourceGroupKind,
    vpcKind,
    subnetKind,
    internetGatewayKind,
    routeTableKind,
    routeTableAssociationKind,
    securityGroupKind,
    ecrRepositoryKind,
    efsFileSystemKind,
    efsMountTargetKind,
    iamRoleKind,
    iamRolePolicyAttachmentKind,
    iamPolicyKind,
    iamOidcProviderKind,
    eksClusterKind,
    eksNodeGroupKind,
    eksAddonKind,
    autoscalingGroupTagsKind,
  ].map((make) => make(aws));
}
