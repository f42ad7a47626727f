// Issue 21 (2): the sandbox honours idempotency tokens as AWS documents them, through the real SDK over HTTP. The same token
// with the same parameters answers with what the first call made (and makes nothing more); the same token with other
// parameters is refused; another token for the same name is a conflict. EFS's CreationToken answers FileSystemAlreadyExists.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { awsClients, type AwsClients } from "../../src/providers/aws/clients.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
let aws: AwsClients;
beforeAll(async () => {
  stack = await Stack.start();
  await stack.reset();
  const run = await stack.deploy();
  if (run.code !== 0) throw new Error(run.stdout.slice(0, 800));
  aws = awsClients({ region: "us-east-1", env: stack.env });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const codeOf = (p: Promise<unknown>) => p.then(() => "none", (err: { name?: string }) => err.name);
const count = async (type: string, name: string) => (await stack.inventory()).filter((r) => r.type === type && (r.name ?? r.tags?.Name) === name).length;

test("EC2 CreateRouteTable: the same ClientToken answers with the same route table; other parameters are IdempotentParameterMismatch", async () => {
  const { sdk, client } = await aws.ec2();
  const { Vpcs } = await client.send(new sdk.DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["nicdemo-dev"] }] }));
  const input = { VpcId: Vpcs![0]!.VpcId!, ClientToken: crypto.randomUUID(), TagSpecifications: [{ ResourceType: "route-table" as const, Tags: [{ Key: "Name", Value: "token-test" }] }] };
  const first = await client.send(new sdk.CreateRouteTableCommand(input));
  const again = await client.send(new sdk.CreateRouteTableCommand(input));
  expect(again.RouteTable!.RouteTableId).toBe(first.RouteTable!.RouteTableId!);
  expect(await count("ec2:route-table", "token-test")).toBe(1);
  const other = { ...input, TagSpecifications: [{ ResourceType: "route-table" as const, Tags: [{ Key: "Name", Value: "token-test-2" }] }] };
  expect(await codeOf(client.send(new sdk.CreateRouteTableCommand(other)))).toBe("IdempotentParameterMismatch");
  expect(await count("ec2:route-table", "token-test-2")).toBe(0);
});

test("EKS CreateCluster, CreateNodegroup, CreateAddon: the same clientRequestToken answers with the same resource; other parameters are refused", async () => {
  const { sdk, client } = await aws.eks();
  const { cluster } = await client.send(new sdk.DescribeClusterCommand({ name: "nicdemo-dev" }));
  const subnets = cluster!.resourcesVpcConfig!.subnetIds!;

  const clusterInput = { name: "token-test", version: cluster!.version, roleArn: cluster!.roleArn!, resourcesVpcConfig: { subnetIds: subnets }, clientRequestToken: crypto.randomUUID() };
  const made = await client.send(new sdk.CreateClusterCommand(clusterInput));
  expect((await client.send(new sdk.CreateClusterCommand(clusterInput))).cluster!.arn).toBe(made.cluster!.arn!);
  expect(await codeOf(client.send(new sdk.CreateClusterCommand({ ...clusterInput, version: "1.29" })))).toBe("InvalidParameterException");
  expect(await codeOf(client.send(new sdk.CreateClusterCommand({ ...clusterInput, clientRequestToken: crypto.randomUUID() })))).toBe("ResourceInUseException");
  expect(await count("eks:cluster", "token-test")).toBe(1);

  const { nodegroup } = await client.send(new sdk.DescribeNodegroupCommand({ clusterName: "nicdemo-dev", nodegroupName: "general" }));
  const nodegroupInput = { clusterName: "nicdemo-dev", nodegroupName: "token-test", nodeRole: nodegroup!.nodeRole!, subnets, clientRequestToken: crypto.randomUUID() };
  const group = await client.send(new sdk.CreateNodegroupCommand(nodegroupInput));
  expect((await client.send(new sdk.CreateNodegroupCommand(nodegroupInput))).nodegroup!.nodegroupArn).toBe(group.nodegroup!.nodegroupArn!);
  expect(await codeOf(client.send(new sdk.CreateNodegroupCommand({ ...nodegroupInput, labels: { other: "yes" } })))).toBe("InvalidParameterException");
  expect(await count("eks:nodegroup", "token-test")).toBe(1);

  const addonInput = { clusterName: "nicdemo-dev", addonName: "snapshot-controller", clientRequestToken: crypto.randomUUID() };
  const addon = await client.send(new sdk.CreateAddonCommand(addonInput));
  expect((await client.send(new sdk.CreateAddonCommand(addonInput))).addon!.addonArn).toBe(addon.addon!.addonArn!);
  expect(await codeOf(client.send(new sdk.CreateAddonCommand({ ...addonInput, configurationValues: "{}" })))).toBe("InvalidParameterException");
  expect(await count("eks:addon", "snapshot-controller")).toBe(1);
});

test("EFS CreateFileSystem: the same CreationToken makes nothing more and answers FileSystemAlreadyExists", async () => {
  const { sdk, client } = await aws.efs();
  const input = { CreationToken: `token-test-${crypto.randomUUID()}` };
  await client.send(new sdk.CreateFileSystemCommand(input));
  expect(await codeOf(client.send(new sdk.CreateFileSystemCommand(input)))).toBe("FileSystemAlreadyExists");
  const { FileSystems } = await client.send(new sdk.DescribeFileSystemsCommand({ CreationToken: input.CreationToken }));
  expect(FileSystems!.length).toBe(1);
});
