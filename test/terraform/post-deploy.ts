// Nebari's stage 02 after Terraform, for the import proofs on the sandbox.
import type { Sandbox } from "../../sandbox/index.ts";

/** What Nebari's stage 02 does after Terraform (set_asg_tags, boto3): label every node group's Auto Scaling groups. */
export async function nebariPostDeploy(sandbox: Sandbox, cluster: string, groups = ["general", "user", "worker"]) {
  const { EKSClient, DescribeNodegroupCommand } = await import("@aws-sdk/client-eks");
  const { AutoScalingClient, CreateOrUpdateTagsCommand } = await import("@aws-sdk/client-auto-scaling");
  const config = { region: "us-west-2", endpoint: sandbox.awsEndpoint, credentials: { accessKeyId: sandbox.env.AWS_ACCESS_KEY_ID!, secretAccessKey: sandbox.env.AWS_SECRET_ACCESS_KEY! } };
  const eks = new EKSClient(config);
  const asg = new AutoScalingClient(config);
  for (const group of groups) {
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: group }));
    for (const a of nodegroup?.resources?.autoScalingGroups ?? []) {
      const tag = { ResourceId: a.name!, ResourceType: "auto-scaling-group", Key: "k8s.io/cluster-autoscaler/node-template/label/dedicated", Value: group, PropagateAtLaunch: true };
      await asg.send(new CreateOrUpdateTagsCommand({ Tags: [tag] }));
    }
  }
}
