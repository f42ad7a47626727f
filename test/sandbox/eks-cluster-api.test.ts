// The EKS cluster flow end to end: DescribeCluster's endpoint and CA reach the cluster's Kubernetes API
// with an EKS-style token; a Service of type LoadBalancer there creates a classic ELB and a security
// group tagged kubernetes.io/cluster/<name>, which go away with the Service; a cluster read back from a
// state file gets a working API again.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import * as EC2 from "@aws-sdk/client-ec2";
import * as EKS from "@aws-sdk/client-eks";
import * as ELB from "@aws-sdk/client-elastic-load-balancing";
import * as IAM from "@aws-sdk/client-iam";
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox } from "../../sandbox/index.ts";

let sandbox: Sandbox;
let config: Record<string, unknown>;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { eksClusterCreate: 0 } });
  config = {
    endpoint: sandbox.awsEndpoint,
    region: "us-west-2",
    credentials: { accessKeyId: SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  };
});
afterAll(() => sandbox?.stop());

/** What aws-iam-authenticator / `aws eks get-token` produce: a presigned STS GetCallerIdentity URL. */
function eksToken(cluster: string): string {
  const url = `https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Signature=00&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&x-k8s-aws-id=${cluster}`;
  return `k8s-aws-v1.${Buffer.from(url).toString("base64url")}`;
}

/** A VPC with two subnets, a role, and an ACTIVE cluster `name`; returns the cluster and its subnets. */
async function activeCluster(config: Record<string, unknown>, name: string): Promise<{ cluster: EKS.Cluster; subnets: string[] }> {
  const iam = new IAM.IAMClient(config);
  const role = await iam.send(new IAM.CreateRoleCommand({ RoleName: `${name}-cluster`, AssumeRolePolicyDocument: "{}" }));
  const ec2 = new EC2.EC2Client(config);
  const vpc = (await ec2.send(new EC2.CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
  const subnets = await Promise.all(
    ["a", "b"].map(async (z, i) => (await ec2.send(new EC2.CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `us-west-2${z}` }))).Subnet!.SubnetId!),
  );
  const eks = new EKS.EKSClient(config);
  await eks.send(new EKS.CreateClusterCommand({ name, roleArn: role.Role!.Arn, resourcesVpcConfig: { subnetIds: subnets } }));
  return { cluster: await describeActive(eks, name), subnets };
}

async function describeActive(eks: EKS.EKSClient, name: string): Promise<EKS.Cluster> {
  for (let i = 0; i < 500; i++) {
    const cluster = (await eks.send(new EKS.DescribeClusterCommand({ name }))).cluster!;
    if (cluster.status === "ACTIVE") return cluster;
    await Bun.sleep(10);
  }
  throw new Error(`cluster ${name} never became ACTIVE`);
}

/** A request to the cluster's Kubernetes API, trusting the CA DescribeCluster gave. */
function kube(cluster: EKS.Cluster, method: string, path: string, body?: unknown) {
  return fetch(`${cluster.endpoint}${path}`, {
    method,
    headers: { authorization: `Bearer ${eksToken(cluster.name!)}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    tls: { ca: atob(cluster.certificateAuthority!.data!) },
  });
}

test("a LoadBalancer Service in a sandbox cluster gets an ELB and a tagged security group", async () => {
  const { cluster, subnets } = await activeCluster(config, "lb");
  const ec2 = new EC2.EC2Client(config);
  const created = await kube(cluster, "POST", "/api/v1/namespaces/default/services", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web" },
    spec: { type: "LoadBalancer", ports: [{ port: 80 }] },
  });
  expect(created.status).toBe(201);

  const elb = new ELB.ElasticLoadBalancingClient(config);
  const { LoadBalancerDescriptions: lbs } = await elb.send(new ELB.DescribeLoadBalancersCommand({}));
  expect(lbs).toHaveLength(1);
  expect(lbs![0]!.Subnets?.sort()).toEqual([...subnets].sort());
  const tags = await elb.send(new ELB.DescribeTagsCommand({ LoadBalancerNames: [lbs![0]!.LoadBalancerName!] }));
  expect(tags.TagDescriptions?.[0]?.Tags).toContainEqual({ Key: "kubernetes.io/cluster/lb", Value: "owned" });
  const sgs = await ec2.send(new EC2.DescribeSecurityGroupsCommand({ GroupIds: lbs![0]!.SecurityGroups }));
  expect(sgs.SecurityGroups?.[0]?.Tags).toContainEqual({ Key: "kubernetes.io/cluster/lb", Value: "owned" });

  const service = (await (await kube(cluster, "GET", "/api/v1/namespaces/default/services/web")).json()) as any;
  expect(service.status.loadBalancer.ingress[0].hostname).toBe(lbs![0]!.DNSName);

  // While the ELB exists its interfaces keep the subnets busy, as on AWS.
  const busy = await ec2.send(new EC2.DeleteSubnetCommand({ SubnetId: subnets[0] })).catch((e) => e);
  expect(busy.name).toBe("DependencyViolation");

  expect((await kube(cluster, "DELETE", "/api/v1/namespaces/default/services/web")).status).toBe(200);
  expect((await elb.send(new ELB.DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toEqual([]);
  const left = await ec2.send(new EC2.DescribeSecurityGroupsCommand({ Filters: [{ Name: "tag:kubernetes.io/cluster/lb", Values: ["owned"] }] }));
  expect(left.SecurityGroups?.map((g) => g.GroupName)).toEqual([expect.stringMatching(/^eks-cluster-sg-lb-/)]);
}, 30_000);

test("a cluster read back from a state file answers on a fresh Kubernetes API", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nic-sandbox-eks-"));
  try {
    const stateFile = join(dir, "world.json");
    const first = await startSandbox({ stateFile, delays: { eksClusterCreate: 0 } });
    const before = (await activeCluster({ ...config, endpoint: first.awsEndpoint }, "kept")).cluster;
    await first.stop();
    const second = await startSandbox({ stateFile });
    try {
      const after = await describeActive(new EKS.EKSClient({ ...config, endpoint: second.awsEndpoint }), "kept");
      expect(after.arn).toBe(before.arn);
      expect((await kube(after, "GET", "/api/v1/namespaces")).status).toBe(200);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

test("two sandboxes in one process keep their own cluster APIs, even with the same cluster name", async () => {
  const other = await startSandbox({ delays: { eksClusterCreate: 0 } });
  const mine = (await activeCluster(config, "twin")).cluster;
  await activeCluster({ ...config, endpoint: other.awsEndpoint }, "twin");
  await other.stop();
  const again = await describeActive(new EKS.EKSClient(config), "twin");
  expect(again.endpoint).toBe(mine.endpoint!);
  expect((await kube(again, "GET", "/api/v1/namespaces")).status).toBe(200);
}, 30_000);

test("the OIDC issuer is a TLS endpoint whose certificate gives the thumbprint, and serves discovery", async () => {
  const { cluster } = await activeCluster(config, "oidc");
  const issuer = new URL(cluster.identity!.oidc!.issuer!);
  expect(issuer.port).toBe("");
  const presented = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: issuer.hostname, port: 443, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint);
      socket.end();
    });
    socket.once("error", reject);
  });
  expect(presented).toBe(new X509Certificate(sandbox.oidcCaPem).fingerprint);
  const discovery = await fetch(`${issuer.href}/.well-known/openid-configuration`, { tls: { ca: sandbox.oidcCaPem } });
  expect(((await discovery.json()) as { issuer: string }).issuer).toBe(issuer.href);
}, 30_000);
