// The control API: reset, seed, inventory, call log and counters, delays, faults in each service's real
// error shape, changes behind the client's back, persistence to a state file, and the CLI's exports.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as EC2 from "@aws-sdk/client-ec2";
import * as EKS from "@aws-sdk/client-eks";
import * as IAM from "@aws-sdk/client-iam";
import * as S3 from "@aws-sdk/client-s3";
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox } from "../../sandbox/index.ts";

let sandbox: Sandbox;
let config: Record<string, unknown>;

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sandbox.controlEndpoint}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

async function rejection(p: Promise<unknown>): Promise<{ name: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error("expected the call to fail");
}

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
beforeEach(() => control("POST", "/reset"));

const ec2 = () => new EC2.EC2Client(config);

describe("world", () => {
  test("inventory lists what clients created, with names and tags; reset empties it", async () => {
    await ec2().send(new EC2.CreateVpcCommand({ CidrBlock: "10.0.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "x" }] }] }));
    const { resources } = await control("GET", "/inventory");
    expect(resources.map((r: any) => r.type).sort()).toEqual(["ec2:network-acl", "ec2:route-table", "ec2:security-group", "ec2:vpc"]);
    expect(resources.find((r: any) => r.type === "ec2:vpc").tags).toEqual({ Name: "x" });
    await control("POST", "/reset");
    expect((await control("GET", "/inventory")).resources).toEqual([]);
  });

  test("seed loads a dump, so a world can be saved and restored", async () => {
    await ec2().send(new EC2.CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const dump = await control("GET", "/dump");
    await control("POST", "/reset");
    await control("POST", "/seed", dump);
    const vpcs = await ec2().send(new EC2.DescribeVpcsCommand({}));
    expect(vpcs.Vpcs?.map((v) => v.VpcId)).toEqual(dump.resources.filter((r: any) => r.type === "ec2:vpc").map((r: any) => r.id));
  });

  test("mutate changes a resource behind the client's back (drift)", async () => {
    const vpc = await ec2().send(new EC2.CreateVpcCommand({ CidrBlock: "10.0.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Owner", Value: "nic" }] }] }));
    const id = vpc.Vpc!.VpcId!;
    await control("POST", "/mutate", { type: "ec2:vpc", id, tags: { Rogue: "yes" }, removeTags: ["Owner"], set: { attributes: { enableDnsSupport: false } } });
    const [after] = (await ec2().send(new EC2.DescribeVpcsCommand({ VpcIds: [id] }))).Vpcs!;
    expect(after?.Tags).toEqual([{ Key: "Rogue", Value: "yes" }]);
    const dns = await ec2().send(new EC2.DescribeVpcAttributeCommand({ VpcId: id, Attribute: "enableDnsSupport" }));
    expect(dns.EnableDnsSupport?.Value).toBe(false);
    await control("POST", "/mutate", { type: "ec2:vpc", id, delete: true });
    expect((await rejection(ec2().send(new EC2.DescribeVpcsCommand({ VpcIds: [id] })))).name).toBe("InvalidVpcID.NotFound");
  });

  test("call log and per-action counters", async () => {
    await ec2().send(new EC2.DescribeVpcsCommand({}));
    await ec2().send(new EC2.DescribeVpcsCommand({}));
    await rejection(ec2().send(new EC2.DescribeVpcsCommand({ VpcIds: ["vpc-0000000000000000"] })));
    expect((await control("GET", "/counters")).counters).toEqual({ "ec2:DescribeVpcs": 3 });
    const { calls } = await control("GET", "/calls");
    expect(calls.map((c: any) => [c.action, c.status, c.error ?? null])).toEqual([
      ["DescribeVpcs", 200, null],
      ["DescribeVpcs", 200, null],
      ["DescribeVpcs", 400, "InvalidVpcID.NotFound"],
    ]);
    expect((await control("GET", `/calls?since=${calls[1].seq}`)).calls).toHaveLength(1);
  });

  test("delays control the EKS lifecycle; unknown delay names are refused", async () => {
    expect((await control("PUT", "/delays", { nope: 1 })).success).toBe(false);
    await control("PUT", "/delays", { eksClusterCreate: 60_000 });
    const iam = new IAM.IAMClient(config);
    const role = await iam.send(new IAM.CreateRoleCommand({ RoleName: "r", AssumeRolePolicyDocument: "{}" }));
    const e = ec2();
    const vpc = (await e.send(new EC2.CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const subnets = await Promise.all(["a", "b"].map(async (z, i) => (await e.send(new EC2.CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `us-west-2${z}` }))).Subnet!.SubnetId!));
    const eks = new EKS.EKSClient(config);
    await eks.send(new EKS.CreateClusterCommand({ name: "slow", roleArn: role.Role!.Arn, resourcesVpcConfig: { subnetIds: subnets } }));
    expect((await eks.send(new EKS.DescribeClusterCommand({ name: "slow" }))).cluster?.status).toBe("CREATING");
    expect((await control("GET", "/delays")).delays.eksClusterCreate).toBe(60_000);
    await control("PUT", "/delays", { eksClusterCreate: 0 });
  });

  test("a state file keeps the world across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nic-sandbox-state-"));
    try {
      const stateFile = join(dir, "world.json");
      const first = await startSandbox({ stateFile });
      const client = new EC2.EC2Client({ ...config, endpoint: first.awsEndpoint });
      const id = (await client.send(new EC2.CreateVpcCommand({ CidrBlock: "10.1.0.0/16" }))).Vpc!.VpcId;
      await first.stop();
      const second = await startSandbox({ stateFile });
      const again = new EC2.EC2Client({ ...config, endpoint: second.awsEndpoint });
      expect((await again.send(new EC2.DescribeVpcsCommand({}))).Vpcs?.map((v) => v.VpcId)).toEqual([id]);
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("faults", () => {
  test("throttling uses each service's own error shape", async () => {
    await control("POST", "/faults", { kind: "throttle" });
    const e = await rejection(ec2().send(new EC2.DescribeVpcsCommand({})));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(["RequestLimitExceeded", 503]);
    const i = await rejection(new IAM.IAMClient(config).send(new IAM.ListRolesCommand({})));
    expect(i.name).toBe("Throttling");
    const k = await rejection(new EKS.EKSClient(config).send(new EKS.ListClustersCommand({})));
    expect(k.name).toBe("ThrottlingException");
    const s = await rejection(new S3.S3Client({ ...config, forcePathStyle: true }).send(new S3.ListBucketsCommand({})));
    expect(s.$metadata.httpStatusCode).toBe(503);
  });

  test("a named AWS error on one action, and the Nth call only", async () => {
    await control("POST", "/faults", { service: "eks", action: "ListClusters", kind: "error", code: "AccessDeniedException", status: 403 });
    await control("POST", "/faults", { service: "ec2", action: "DescribeVpcs", kind: "error", status: 500, nth: 2 });
    const denied = await rejection(new EKS.EKSClient(config).send(new EKS.ListClustersCommand({})));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(["AccessDeniedException", 403]);
    await ec2().send(new EC2.DescribeVpcsCommand({}));
    const second = await rejection(ec2().send(new EC2.DescribeVpcsCommand({})));
    expect(second.$metadata.httpStatusCode).toBe(500);
    await ec2().send(new EC2.DescribeVpcsCommand({}));
    await ec2().send(new EC2.DescribeSubnetsCommand({}));
  });

  test("latency is added to matching calls; faults can be listed and removed", async () => {
    const { id } = await control("POST", "/faults", { service: "ec2", kind: "latency", latencyMs: 150 });
    expect((await control("GET", "/faults")).faults.map((f: any) => f.id)).toEqual([id]);
    const started = performance.now();
    await ec2().send(new EC2.DescribeVpcsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    await control("DELETE", `/faults/${id}`);
    expect((await control("GET", "/faults")).faults).toEqual([]);
  });
});

test("the world's region follows the requests' SigV4 scope (IAM, signed for us-east-1, does not move it)", async () => {
  const frankfurt = new EC2.EC2Client({ ...config, region: "eu-central-1" });
  const zones = await frankfurt.send(new EC2.DescribeAvailabilityZonesCommand({}));
  expect(zones.AvailabilityZones?.map((z) => [z.ZoneName, z.ZoneId])[1]).toEqual(["eu-central-1b", "euc1-az2"]);
  await new IAM.IAMClient(config).send(new IAM.ListRolesCommand({}));
  const subnet = await frankfurt.send(new EC2.CreateSubnetCommand({ VpcId: (await frankfurt.send(new EC2.CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId, CidrBlock: "10.0.0.0/24", AvailabilityZone: "eu-central-1a" }));
  expect(subnet.Subnet?.SubnetArn).toStartWith("arn:aws:ec2:eu-central-1:123456789012:subnet/");
  await ec2().send(new EC2.DescribeVpcsCommand({}));
});

test("the Cloud Storage JSON API shares the AWS port (STORAGE_EMULATOR_HOST)", async () => {
  const host = sandbox.env.STORAGE_EMULATOR_HOST;
  expect(host).toBe(sandbox.awsEndpoint);
  expect((await fetch(`${host}/storage/v1/b?project=p`, { method: "POST", body: JSON.stringify({ name: "nic-state" }) })).status).toBe(200);
  const upload = () => fetch(`${host}/upload/storage/v1/b/nic-state/o?uploadType=media&name=lock&ifGenerationMatch=0`, { method: "POST", body: "x" });
  expect((await upload()).status).toBe(200);
  expect((await upload()).status).toBe(412);
});

test("bun sandbox/main.ts prints shell exports for every service and the control API", async () => {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../sandbox/main.ts")], { stdout: "pipe", stderr: "pipe" });
  try {
    const reader = proc.stdout.getReader();
    let out = "";
    while (!out.includes("NIC_SANDBOX_CONTROL")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    const env = Object.fromEntries([...out.matchAll(/^export (\w+)="([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
    for (const name of ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_EKS", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_REGION", "NIC_SANDBOX_CONTROL"])
      expect(env[name]).toBeDefined();
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(((await (await fetch(`${env.NIC_SANDBOX_CONTROL}/health`)).json()) as any).success).toBe(true);
  } finally {
    proc.kill();
    await proc.exited;
  }
});
