// The AWS SDK v3 clients NIC uses parse every sandbox response without a deserialisation error,
// and see AWS's own error codes. One scenario per service, each call checked for the fields NIC reads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as ASG from "@aws-sdk/client-auto-scaling";
import * as EC2 from "@aws-sdk/client-ec2";
import * as ECR from "@aws-sdk/client-ecr";
import * as EFS from "@aws-sdk/client-efs";
import * as EKS from "@aws-sdk/client-eks";
import * as ELBV2 from "@aws-sdk/client-elastic-load-balancing-v2";
import * as IAM from "@aws-sdk/client-iam";
import * as RG from "@aws-sdk/client-resource-groups";
import * as S3 from "@aws-sdk/client-s3";
import * as STS from "@aws-sdk/client-sts";
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox } from "../../sandbox/index.ts";

let sandbox: Sandbox;
let config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number };

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { eksClusterCreate: 30, eksClusterDelete: 30, eksNodegroupCreate: 20, eksNodegroupDelete: 20, eksAddonCreate: 10, eksAddonDelete: 10, efsCreate: 10, efsDelete: 10, eniLinger: 0 } });
  config = {
    endpoint: sandbox.awsEndpoint,
    region: SANDBOX_CREDENTIALS.AWS_REGION,
    credentials: { accessKeyId: SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  };
});
afterAll(() => sandbox?.stop());

/** The error the promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<{ name: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error("expected the call to fail");
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (done(v)) return v;
    await Bun.sleep(10);
  }
  throw new Error("condition never reached");
}

const vpcIds: { vpc?: string; subnets: string[]; sg?: string } = { subnets: [] };
const roleArns: { cluster?: string; node?: string } = {};

describe("STS and IAM", () => {
  test("GetCallerIdentity", async () => {
    const sts = new STS.STSClient(config);
    const id = await sts.send(new STS.GetCallerIdentityCommand({}));
    expect(id.Account).toBe("123456789012");
    expect(id.Arn).toStartWith("arn:aws:iam::123456789012:");
  });

  test("roles, policies, attachments, OIDC providers, and NoSuchEntity", async () => {
    const iam = new IAM.IAMClient(config);
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const created = await iam.send(new IAM.CreateRoleCommand({ RoleName: "sdk-cluster", AssumeRolePolicyDocument: trust, Tags: [{ Key: "Project", Value: "nic" }] }));
    expect(created.Role?.Arn).toBe("arn:aws:iam::123456789012:role/sdk-cluster");
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    roleArns.cluster = created.Role!.Arn;
    roleArns.node = (await iam.send(new IAM.CreateRoleCommand({ RoleName: "sdk-node", AssumeRolePolicyDocument: trust }))).Role!.Arn;

    const role = await iam.send(new IAM.GetRoleCommand({ RoleName: "sdk-cluster" }));
    expect(JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(trust));
    expect(role.Role?.Tags).toEqual([{ Key: "Project", Value: "nic" }]);

    const policy = await iam.send(new IAM.CreatePolicyCommand({ PolicyName: "sdk-policy", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
    expect(policy.Policy?.DefaultVersionId).toBe("v1");
    await iam.send(new IAM.AttachRolePolicyCommand({ RoleName: "sdk-cluster", PolicyArn: policy.Policy!.Arn }));
    await iam.send(new IAM.AttachRolePolicyCommand({ RoleName: "sdk-cluster", PolicyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" }));
    const attached = await iam.send(new IAM.ListAttachedRolePoliciesCommand({ RoleName: "sdk-cluster" }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(["sdk-policy", "AmazonEKSClusterPolicy"]);
    expect(attached.IsTruncated).toBe(false);
    expect((await iam.send(new IAM.GetPolicyCommand({ PolicyArn: policy.Policy!.Arn }))).Policy?.AttachmentCount).toBe(1);
    const version = await iam.send(new IAM.GetPolicyVersionCommand({ PolicyArn: policy.Policy!.Arn, VersionId: "v1" }));
    expect(version.PolicyVersion?.IsDefaultVersion).toBe(true);

    const paged = await iam.send(new IAM.ListRolesCommand({ MaxItems: 1 }));
    expect(paged.Roles).toHaveLength(1);
    expect(paged.IsTruncated).toBe(true);
    const rest = await iam.send(new IAM.ListRolesCommand({ Marker: paged.Marker }));
    expect(rest.Roles?.map((r) => r.RoleName)).toEqual(["sdk-node"]);

    const oidc = await iam.send(new IAM.CreateOpenIDConnectProviderCommand({ Url: "https://oidc.example/id/ABC", ClientIDList: ["sts.amazonaws.com"], ThumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"] }));
    const got = await iam.send(new IAM.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: oidc.OpenIDConnectProviderArn }));
    expect(got.Url).toBe("oidc.example/id/ABC");
    expect(got.ClientIDList).toEqual(["sts.amazonaws.com"]);

    const missing = await rejection(iam.send(new IAM.GetRoleCommand({ RoleName: "nope" })));
    expect(missing.name).toBe("NoSuchEntityException");
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const conflict = await rejection(iam.send(new IAM.DeleteRoleCommand({ RoleName: "sdk-cluster" })));
    expect(conflict.name).toBe("DeleteConflictException");
  });
});

describe("EC2", () => {
  test("VPC, subnets, gateway, routes, security group, filters, tags", async () => {
    const ec2 = new EC2.EC2Client(config);
    const vpc = await ec2.send(new EC2.CreateVpcCommand({ CidrBlock: "10.10.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "sdk" }] }] }));
    const vpcId = vpc.Vpc!.VpcId!;
    vpcIds.vpc = vpcId;
    expect(vpcId).toMatch(/^vpc-0[0-9a-f]{16}$/);
    const byTag = await ec2.send(new EC2.DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["sdk"] }] }));
    expect(byTag.Vpcs?.map((v) => v.VpcId)).toEqual([vpcId]);
    expect(byTag.Vpcs?.[0]?.CidrBlockAssociationSet?.[0]?.CidrBlockState?.State).toBe("associated");
    await ec2.send(new EC2.ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const attr = await ec2.send(new EC2.DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }));
    expect(attr.EnableDnsHostnames?.Value).toBe(true);

    const zones = await ec2.send(new EC2.DescribeAvailabilityZonesCommand({ Filters: [{ Name: "opt-in-status", Values: ["opt-in-not-required"] }] }));
    expect(zones.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]);
    expect(zones.AvailabilityZones?.[0]?.State).toBe("available");

    for (const [i, zone] of ["us-west-2a", "us-west-2b"].entries()) {
      const s = await ec2.send(new EC2.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.10.${i * 64}.0/18`, AvailabilityZone: zone }));
      vpcIds.subnets.push(s.Subnet!.SubnetId!);
      expect(s.Subnet?.AvailabilityZoneId).toBe(`usw2-az${i + 1}`);
    }
    await ec2.send(new EC2.ModifySubnetAttributeCommand({ SubnetId: vpcIds.subnets[0], MapPublicIpOnLaunch: { Value: true } }));
    const subnets = await ec2.send(new EC2.DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(subnets.Subnets?.map((s) => s.MapPublicIpOnLaunch)).toEqual([true, false]);

    const igw = await ec2.send(new EC2.CreateInternetGatewayCommand({}));
    await ec2.send(new EC2.AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGateway!.InternetGatewayId, VpcId: vpcId }));
    const igws = await ec2.send(new EC2.DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }));
    // EC2 really answers "available" for internet gateway attachments, outside the SDK enum.
    expect(igws.InternetGateways?.[0]?.Attachments).toEqual([{ VpcId: vpcId, State: "available" as EC2.AttachmentStatus }]);

    const rtb = await ec2.send(new EC2.CreateRouteTableCommand({ VpcId: vpcId }));
    await ec2.send(new EC2.CreateRouteCommand({ RouteTableId: rtb.RouteTable!.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw.InternetGateway!.InternetGatewayId }));
    const assoc = await ec2.send(new EC2.AssociateRouteTableCommand({ RouteTableId: rtb.RouteTable!.RouteTableId, SubnetId: vpcIds.subnets[0] }));
    expect(assoc.AssociationState?.State).toBe("associated");
    const main = await ec2.send(new EC2.DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "association.main", Values: ["true"] }] }));
    expect(main.RouteTables).toHaveLength(1);
    const custom = await ec2.send(new EC2.DescribeRouteTablesCommand({ RouteTableIds: [rtb.RouteTable!.RouteTableId!] }));
    expect(custom.RouteTables?.[0]?.Routes?.map((r) => r.GatewayId)).toEqual(["local", igw.InternetGateway!.InternetGatewayId]);

    const sg = await ec2.send(new EC2.CreateSecurityGroupCommand({ GroupName: "sdk", Description: "sdk", VpcId: vpcId }));
    vpcIds.sg = sg.GroupId;
    await ec2.send(new EC2.AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "https" }] }] }));
    const groups = await ec2.send(new EC2.DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] }));
    expect(groups.SecurityGroups?.[0]?.IpPermissions).toEqual([
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [], IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "https" }], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
    expect(groups.SecurityGroups?.[0]?.IpPermissionsEgress?.[0]?.IpProtocol).toBe("-1");
    const defaults = await ec2.send(new EC2.DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "group-name", Values: ["default"] }] }));
    expect(defaults.SecurityGroups).toHaveLength(1);
    const acls = await ec2.send(new EC2.DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "default", Values: ["true"] }] }));
    expect(acls.NetworkAcls?.[0]?.Associations).toHaveLength(2);

    await ec2.send(new EC2.CreateTagsCommand({ Resources: [sg.GroupId!, vpcId], Tags: [{ Key: "team", Value: "data" }] }));
    const tags = await ec2.send(new EC2.DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["team"] }] }));
    expect(tags.Tags?.map((t) => t.ResourceId).sort()).toEqual([sg.GroupId!, vpcId].sort());

    const inUse = await rejection(ec2.send(new EC2.DeleteVpcCommand({ VpcId: vpcId })));
    expect(inUse.name).toBe("DependencyViolation");
    const unknown = await rejection(ec2.send(new EC2.DescribeVpcsCommand({ VpcIds: ["vpc-0000000000000000"] })));
    expect(unknown.name).toBe("InvalidVpcID.NotFound");

    const page1 = await ec2.send(new EC2.DescribeSubnetsCommand({ MaxResults: 5, Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(page1.Subnets).toHaveLength(2);
    expect(page1.NextToken).toBeUndefined();
  });
});

describe("EKS, Auto Scaling and EC2 interfaces", () => {
  test("cluster lifecycle, node groups with ASGs and ENIs, add-ons, tags, errors", async () => {
    const eks = new EKS.EKSClient(config);
    const created = await eks.send(new EKS.CreateClusterCommand({ name: "sdk", roleArn: roleArns.cluster, version: "1.31", resourcesVpcConfig: { subnetIds: vpcIds.subnets, securityGroupIds: [vpcIds.sg!] } }));
    expect(created.cluster?.status).toBe("CREATING");
    expect(created.cluster?.createdAt).toBeInstanceOf(Date);
    const active = await until(() => eks.send(new EKS.DescribeClusterCommand({ name: "sdk" })), (r) => r.cluster?.status === "ACTIVE");
    expect(active.cluster?.endpoint).toStartWith("https://");
    expect(atob(active.cluster!.certificateAuthority!.data!)).toContain("BEGIN CERTIFICATE");
    expect(active.cluster?.identity?.oidc?.issuer).toMatch(/^https:\/\/[^/:]+\/id\/[0-9A-F]{32}$/);
    expect(active.cluster?.resourcesVpcConfig?.clusterSecurityGroupId).toMatch(/^sg-/);

    const ng = await eks.send(new EKS.CreateNodegroupCommand({ clusterName: "sdk", nodegroupName: "general", nodeRole: roleArns.node, subnets: vpcIds.subnets, scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 }, instanceTypes: ["t3.large"], labels: { dedicated: "general" }, taints: [{ key: "k", value: "v", effect: "NO_SCHEDULE" }] }));
    expect(ng.nodegroup?.status).toBe("CREATING");
    const described = await until(() => eks.send(new EKS.DescribeNodegroupCommand({ clusterName: "sdk", nodegroupName: "general" })), (r) => r.nodegroup?.status === "ACTIVE");
    const asgName = described.nodegroup?.resources?.autoScalingGroups?.[0]?.name;
    expect(asgName).toMatch(/^eks-general-[0-9a-f-]{36}$/);
    expect(described.nodegroup?.taints).toEqual([{ key: "k", value: "v", effect: "NO_SCHEDULE" }]);
    expect((await eks.send(new EKS.ListNodegroupsCommand({ clusterName: "sdk" }))).nodegroups).toEqual(["general"]);

    const asg = new ASG.AutoScalingClient(config);
    const groups = await asg.send(new ASG.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: "tag:eks:cluster-name", Values: ["sdk"] }] }));
    expect(groups.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual([asgName]);
    expect(groups.AutoScalingGroups?.[0]?.Instances).toHaveLength(2);
    await asg.send(new ASG.CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: asgName, ResourceType: "auto-scaling-group", Key: "k8s.io/cluster-autoscaler/node-template/label/dedicated", Value: "general", PropagateAtLaunch: true }] }));
    const asgTags = await asg.send(new ASG.DescribeTagsCommand({ Filters: [{ Name: "auto-scaling-group", Values: [asgName!] }] }));
    expect(asgTags.Tags?.find((t) => t.Key === "k8s.io/cluster-autoscaler/node-template/label/dedicated")?.PropagateAtLaunch).toBe(true);
    expect(asgTags.Tags?.find((t) => t.Key === "kubernetes.io/cluster/sdk")?.Value).toBe("owned");

    const ec2 = new EC2.EC2Client(config);
    const enis = await ec2.send(new EC2.DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: vpcIds.subnets }] }));
    expect(enis.NetworkInterfaces?.filter((n) => n.Attachment?.InstanceId)).toHaveLength(2);
    const subnetBusy = await rejection(ec2.send(new EC2.DeleteSubnetCommand({ SubnetId: vpcIds.subnets[0] })));
    expect(subnetBusy.name).toBe("DependencyViolation");

    await eks.send(new EKS.UpdateNodegroupConfigCommand({ clusterName: "sdk", nodegroupName: "general", scalingConfig: { minSize: 1, desiredSize: 3, maxSize: 3 } }));
    await until(() => eks.send(new EKS.DescribeNodegroupCommand({ clusterName: "sdk", nodegroupName: "general" })), (r) => r.nodegroup?.status === "ACTIVE");
    const scaled = await asg.send(new ASG.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName!] }));
    expect([scaled.AutoScalingGroups?.[0]?.DesiredCapacity, scaled.AutoScalingGroups?.[0]?.Instances?.length]).toEqual([3, 3]);

    await eks.send(new EKS.CreateAddonCommand({ clusterName: "sdk", addonName: "coredns", configurationValues: '{"replicaCount":1}' }));
    const addon = await until(() => eks.send(new EKS.DescribeAddonCommand({ clusterName: "sdk", addonName: "coredns" })), (r) => r.addon?.status === "ACTIVE");
    expect(addon.addon?.configurationValues).toBe('{"replicaCount":1}');
    const versions = await eks.send(new EKS.DescribeAddonVersionsCommand({ addonName: "coredns", kubernetesVersion: "1.31" }));
    expect(versions.addons?.[0]?.addonVersions?.[0]?.addonVersion).toBe(addon.addon?.addonVersion);

    await eks.send(new EKS.TagResourceCommand({ resourceArn: active.cluster!.arn, tags: { team: "data" } }));
    expect((await eks.send(new EKS.ListTagsForResourceCommand({ resourceArn: active.cluster!.arn }))).tags).toEqual({ team: "data" });
    expect((await eks.send(new EKS.ListClustersCommand({}))).clusters).toEqual(["sdk"]);

    const inUse = await rejection(eks.send(new EKS.DeleteClusterCommand({ name: "sdk" })));
    expect(inUse.name).toBe("ResourceInUseException");
    await eks.send(new EKS.DeleteAddonCommand({ clusterName: "sdk", addonName: "coredns" }));
    await eks.send(new EKS.DeleteNodegroupCommand({ clusterName: "sdk", nodegroupName: "general" }));
    const gone = await until(() => rejection(eks.send(new EKS.DescribeNodegroupCommand({ clusterName: "sdk", nodegroupName: "general" }))).catch(() => undefined), (e) => e !== undefined);
    expect(gone?.name).toBe("ResourceNotFoundException");
    await eks.send(new EKS.DeleteClusterCommand({ name: "sdk" }));
    const clusterGone = await until(() => rejection(eks.send(new EKS.DescribeClusterCommand({ name: "sdk" }))).catch(() => undefined), (e) => e !== undefined);
    expect(clusterGone?.name).toBe("ResourceNotFoundException");
    expect(clusterGone?.$metadata.httpStatusCode).toBe(404);
  });
});

describe("EFS, ECR, Resource Groups", () => {
  test("EFS file system and mount targets", async () => {
    const efs = new EFS.EFSClient(config);
    const fs = await efs.send(new EFS.CreateFileSystemCommand({ CreationToken: "sdk-shared", Encrypted: true, ThroughputMode: "bursting", Tags: [{ Key: "Name", Value: "sdk-shared" }] }));
    expect(fs.LifeCycleState).toBe("creating");
    expect(fs.CreationTime).toBeInstanceOf(Date);
    const ready = await until(() => efs.send(new EFS.DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId })), (r) => r.FileSystems?.[0]?.LifeCycleState === "available");
    expect(ready.FileSystems?.[0]?.Name).toBe("sdk-shared");
    const mt = await efs.send(new EFS.CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: vpcIds.subnets[1], SecurityGroups: [vpcIds.sg!] }));
    expect(mt.MountTargetId).toMatch(/^fsmt-/);
    expect(mt.AvailabilityZoneName).toBe("us-west-2b");
    expect((await efs.send(new EFS.DescribeMountTargetsCommand({ FileSystemId: fs.FileSystemId }))).MountTargets).toHaveLength(1);
    expect((await efs.send(new EFS.DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }))).SecurityGroups).toEqual([vpcIds.sg!]);
    expect((await efs.send(new EFS.DescribeLifecycleConfigurationCommand({ FileSystemId: fs.FileSystemId }))).LifecyclePolicies).toEqual([]);
    await efs.send(new EFS.TagResourceCommand({ ResourceId: fs.FileSystemId, Tags: [{ Key: "team", Value: "data" }] }));
    expect((await efs.send(new EFS.ListTagsForResourceCommand({ ResourceId: fs.FileSystemId }))).Tags).toContainEqual({ Key: "team", Value: "data" });
    const inUse = await rejection(efs.send(new EFS.DeleteFileSystemCommand({ FileSystemId: fs.FileSystemId })));
    expect(inUse.name).toBe("FileSystemInUse");
    const missing = await rejection(efs.send(new EFS.DescribeFileSystemsCommand({ FileSystemId: "fs-00000000000000000" })));
    expect(missing.name).toBe("FileSystemNotFound");
  });

  test("ECR repositories", async () => {
    const ecr = new ECR.ECRClient(config);
    const repo = await ecr.send(new ECR.CreateRepositoryCommand({ repositoryName: "nic-dev-jupyterlab", imageScanningConfiguration: { scanOnPush: true }, tags: [{ Key: "Project", Value: "nic" }] }));
    expect(repo.repository?.repositoryUri).toBe("123456789012.dkr.ecr.us-west-2.amazonaws.com/nic-dev-jupyterlab");
    expect(repo.repository?.createdAt).toBeInstanceOf(Date);
    const listed = await ecr.send(new ECR.DescribeRepositoriesCommand({ repositoryNames: ["nic-dev-jupyterlab"] }));
    expect(listed.repositories?.[0]?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect((await ecr.send(new ECR.ListTagsForResourceCommand({ resourceArn: repo.repository!.repositoryArn }))).tags).toEqual([{ Key: "Project", Value: "nic" }]);
    const token = await ecr.send(new ECR.GetAuthorizationTokenCommand({}));
    expect(atob(token.authorizationData![0]!.authorizationToken!)).toStartWith("AWS:");
    const missing = await rejection(ecr.send(new ECR.DescribeRepositoriesCommand({ repositoryNames: ["nope"] })));
    expect(missing.name).toBe("RepositoryNotFoundException");
  });

  test("Resource Groups", async () => {
    const rg = new RG.ResourceGroupsClient(config);
    const query = JSON.stringify({ ResourceTypeFilters: ["AWS::AllSupported"], TagFilters: [{ Key: "Project", Values: ["nic"] }] });
    const created = await rg.send(new RG.CreateGroupCommand({ Name: "nic", ResourceQuery: { Type: "TAG_FILTERS_1_0", Query: query }, Tags: { Project: "nic" } }));
    expect(created.Group?.GroupArn).toBe("arn:aws:resource-groups:us-west-2:123456789012:group/nic");
    expect((await rg.send(new RG.GetGroupCommand({ Group: "nic" }))).Group?.Name).toBe("nic");
    expect((await rg.send(new RG.GetGroupQueryCommand({ Group: "nic" }))).GroupQuery?.ResourceQuery?.Query).toBe(query);
    await rg.send(new RG.GetGroupConfigurationCommand({ Group: "nic" }));
    await rg.send(new RG.TagCommand({ Arn: created.Group!.GroupArn, Tags: { team: "data" } }));
    expect((await rg.send(new RG.GetTagsCommand({ Arn: created.Group!.GroupArn }))).Tags).toEqual({ Project: "nic", team: "data" });
    await rg.send(new RG.UntagCommand({ Arn: created.Group!.GroupArn, Keys: ["team"] }));
    expect((await rg.send(new RG.ListGroupsCommand({}))).GroupIdentifiers?.map((g) => g.GroupName)).toEqual(["nic"]);
    await rg.send(new RG.DeleteGroupCommand({ Group: "nic" }));
    const missing = await rejection(rg.send(new RG.GetGroupCommand({ Group: "nic" })));
    expect(missing.name).toBe("NotFoundException");
  });
});

describe("S3", () => {
  test("objects with conditional writes for lock files", async () => {
    const s3 = new S3.S3Client({ ...config, forcePathStyle: true });
    await s3.send(new S3.CreateBucketCommand({ Bucket: "nic-state" }));
    await s3.send(new S3.HeadBucketCommand({ Bucket: "nic-state" }));
    const put = await s3.send(new S3.PutObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock", Body: '{"id":"a"}', IfNoneMatch: "*" }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const taken = await rejection(s3.send(new S3.PutObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock", Body: '{"id":"b"}', IfNoneMatch: "*" })));
    expect(taken.name).toBe("PreconditionFailed");
    expect(taken.$metadata.httpStatusCode).toBe(412);
    const stale = await rejection(s3.send(new S3.PutObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock", Body: "x", IfMatch: '"0000"' })));
    expect(stale.$metadata.httpStatusCode).toBe(412);
    await s3.send(new S3.PutObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock", Body: '{"id":"c"}', IfMatch: put.ETag }));
    const got = await s3.send(new S3.GetObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock" }));
    expect(await got.Body?.transformToString()).toBe('{"id":"c"}');
    expect((await s3.send(new S3.HeadObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock" }))).ContentLength).toBe(10);
    const listed = await s3.send(new S3.ListObjectsV2Command({ Bucket: "nic-state", Prefix: "dev/" }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["dev/state.json.tflock"]);
    expect((await s3.send(new S3.ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(["nic-state"]);
    await s3.send(new S3.DeleteObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock" }));
    const missing = await rejection(s3.send(new S3.GetObjectCommand({ Bucket: "nic-state", Key: "dev/state.json.tflock" })));
    expect(missing.name).toBe("NoSuchKey");
  });
});

describe("what destroy's sweep looks for", () => {
  test("Elastic IPs and NAT gateways, which stay visible as deleted for a while", async () => {
    const ec2 = new EC2.EC2Client(config);
    const eip = await ec2.send(new EC2.AllocateAddressCommand({ Domain: "vpc", TagSpecifications: [{ ResourceType: "elastic-ip", Tags: [{ Key: "kubernetes.io/cluster/sdk", Value: "owned" }] }] }));
    const nat = await ec2.send(new EC2.CreateNatGatewayCommand({ SubnetId: vpcIds.subnets[0], AllocationId: eip.AllocationId }));
    expect(nat.NatGateway?.State).toBe("available");
    const tagged = await ec2.send(new EC2.DescribeAddressesCommand({ Filters: [{ Name: "tag-key", Values: ["kubernetes.io/cluster/sdk"] }] }));
    expect(tagged.Addresses?.[0]?.AssociationId).toMatch(/^eipassoc-/);
    const inVpc = await ec2.send(new EC2.DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: [vpcIds.vpc!] }] }));
    expect(inVpc.NatGateways?.[0]?.NatGatewayAddresses?.[0]?.PublicIp).toBe(eip.PublicIp);
    const inUse = await rejection(ec2.send(new EC2.ReleaseAddressCommand({ AllocationId: eip.AllocationId })));
    expect(inUse.name).toBe("InvalidIPAddress.InUse");
    await ec2.send(new EC2.DeleteNatGatewayCommand({ NatGatewayId: nat.NatGateway!.NatGatewayId }));
    await until(() => ec2.send(new EC2.DescribeNatGatewaysCommand({ NatGatewayIds: [nat.NatGateway!.NatGatewayId!] })), (r) => r.NatGateways?.[0]?.State === "deleted");
    await ec2.send(new EC2.ReleaseAddressCommand({ AllocationId: eip.AllocationId }));
    expect((await ec2.send(new EC2.DescribeAddressesCommand({}))).Addresses).toEqual([]);
  });

  test("ELBv2 load balancers and target groups (seeded) on the shared elasticloadbalancing signing name", async () => {
    const arn = (kind: string, name: string) => `arn:aws:elasticloadbalancing:us-west-2:123456789012:${kind}/${name}/0123456789abcdef`;
    const tags = { "elbv2.k8s.aws/cluster": "sdk" };
    sandbox.world.put({ type: "elbv2:target-group", id: "tg", name: "tg", tags, arn: arn("targetgroup", "tg"), vpcId: vpcIds.vpc });
    sandbox.world.put({ type: "elbv2:load-balancer", id: "alb", name: "alb", tags, arn: arn("loadbalancer/app", "alb"), dnsName: "alb.example", vpcId: vpcIds.vpc, lbType: "application", targetGroupArns: [arn("targetgroup", "tg")] });
    const elb = new ELBV2.ElasticLoadBalancingV2Client(config);
    const lbs = await elb.send(new ELBV2.DescribeLoadBalancersCommand({}));
    expect(lbs.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(["alb"]);
    const described = await elb.send(new ELBV2.DescribeTagsCommand({ ResourceArns: [arn("loadbalancer/app", "alb")] }));
    expect(described.TagDescriptions?.[0]?.Tags).toEqual([{ Key: "elbv2.k8s.aws/cluster", Value: "sdk" }]);
    const busy = await rejection(elb.send(new ELBV2.DeleteTargetGroupCommand({ TargetGroupArn: arn("targetgroup", "tg") })));
    expect(busy.name).toBe("ResourceInUseException");
    await elb.send(new ELBV2.DeleteLoadBalancerCommand({ LoadBalancerArn: arn("loadbalancer/app", "alb") }));
    await elb.send(new ELBV2.DeleteTargetGroupCommand({ TargetGroupArn: arn("targetgroup", "tg") }));
    expect((await elb.send(new ELBV2.DescribeTargetGroupsCommand({}))).TargetGroups).toEqual([]);
    const gone = await rejection(elb.send(new ELBV2.DescribeLoadBalancersCommand({ LoadBalancerArns: [arn("loadbalancer/app", "alb")] })));
    expect(gone.name).toBe("LoadBalancerNotFoundException");
  });
});
