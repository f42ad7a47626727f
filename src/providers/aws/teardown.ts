// The AWS side of `nic destroy` that the engine's graph cannot know: what Kubernetes created in the VPC (load balancers,
// target groups, their security groups), NAT gateways and Elastic IPs, and the network interfaces that linger in
// subnets after node groups go. SDKs are imported on first use. NotFound always means done.
import type { Logger } from "../../cli/log.ts";
import type { SweepReport, Teardown } from "../../destroy/teardown.ts";
import { sleep } from "../../engine/retry.ts";
import type { ResourceKind } from "../../engine/types.ts";
import { awsClients, clientConfig, type AwsOptions, type Ec2 } from "./clients.ts";
import { errorCode, ignoreNotFound, orNotFound, whileDependent } from "./errors.ts";
import { allPages as pages } from "./kinds/ec2.ts";
import { tagMap, type Tags } from "./tags.ts";

export interface AwsSweepOptions extends AwsOptions {
  clusterName: string;
  /** VPCs NIC created (their NAT gateways are swept). */
  vpcIds: string[];
  /** Security groups NIC tracks: the engine deletes them in order, the sweep never does. */
  trackedIds: ReadonlySet<string>;
  log: Logger;
  /** How long to wait for load balancers and network interfaces to go (AWS: minutes). */
  waitMs?: number;
}

/** An endpoint without the API (an emulator) has none of its resources; anything else is a real error. */
const UNSUPPORTED = /^(InvalidAction|UnknownOperationException|NotImplemented|UnsupportedOperation)$/;
const BATCH = 20;

export function awsTeardown(opts: AwsSweepOptions): Teardown {
  const aws = awsClients(opts);
  const waitMs = opts.waitMs ?? 10 * 60_000;
  const clusterTag = `kubernetes.io/cluster/${opts.clusterName}`;
  const isClusters = (tags: Tags) => clusterTag in tags || tags["elbv2.k8s.aws/cluster"] === opts.clusterName;
  const elb = lazy(() => import("@aws-sdk/client-elastic-load-balancing"), (sdk) => new sdk.ElasticLoadBalancingClient(clientConfig(opts, "ELASTIC_LOAD_BALANCING")));
  const elbv2 = lazy(() => import("@aws-sdk/client-elastic-load-balancing-v2"), (sdk) => new sdk.ElasticLoadBalancingV2Client(clientConfig(opts, "ELASTIC_LOAD_BALANCING_V2")));

  /** Runs one sweep step, noting an endpoint that does not serve it. */
  async function step(name: string, report: SweepReport, work: () => Promise<string[]>) {
    try {
      report.deleted.push(...(await work()));
    } catch (err) {
      if (!UNSUPPORTED.test(errorCode(err))) throw err;
      opts.log.warn(`${name}: the AWS endpoint does not offer this API (${errorCode(err)}); skipped`);
      report.unsupported.push(name);
    }
  }

  async function classicLoadBalancers(signal: AbortSignal): Promise<string[]> {
    const { sdk, client } = await elb();
    const names = async () =>
      (await pages((Marker) => client.send(new sdk.DescribeLoadBalancersCommand({ Marker }), { abortSignal: signal }).then((r) => ({ items: r.LoadBalancerDescriptions, next: r.NextMarker })))).map((lb) => lb.LoadBalancerName!);
    const tagged: string[] = [];
    for (const chunk of chunks(await names())) {
      const { TagDescriptions } = await client.send(new sdk.DescribeTagsCommand({ LoadBalancerNames: chunk }), { abortSignal: signal });
      for (const d of TagDescriptions ?? []) if (isClusters(tagMap(d.Tags))) tagged.push(d.LoadBalancerName!);
    }
    for (const name of tagged) await ignoreNotFound(() => client.send(new sdk.DeleteLoadBalancerCommand({ LoadBalancerName: name }), { abortSignal: signal }));
    await until(`${tagged.length} classic load balancers to go`, signal, async () => !tagged.length || none(tagged, await names()));
    return tagged.map((n) => `elb:${n}`);
  }

  async function loadBalancersV2(signal: AbortSignal): Promise<string[]> {
    const { sdk, client } = await elbv2();
    const tagged = async (arns: string[]) => {
      const out: string[] = [];
      for (const chunk of chunks(arns)) {
        const { TagDescriptions } = await client.send(new sdk.DescribeTagsCommand({ ResourceArns: chunk }), { abortSignal: signal });
        for (const d of TagDescriptions ?? []) if (isClusters(tagMap(d.Tags))) out.push(d.ResourceArn!);
      }
      return out;
    };
    const loadBalancers = async () =>
      (await pages((Marker) => client.send(new sdk.DescribeLoadBalancersCommand({ Marker }), { abortSignal: signal }).then((r) => ({ items: r.LoadBalancers, next: r.NextMarker })))).map((lb) => lb.LoadBalancerArn!);
    const lbs = await tagged(await loadBalancers());
    for (const arn of lbs) await ignoreNotFound(() => client.send(new sdk.DeleteLoadBalancerCommand({ LoadBalancerArn: arn }), { abortSignal: signal }));
    await until(`${lbs.length} load balancers to go`, signal, async () => !lbs.length || none(lbs, await loadBalancers()));
    // Target groups can go once no load balancer uses them.
    const groups = await tagged((await pages((Marker) => client.send(new sdk.DescribeTargetGroupsCommand({ Marker }), { abortSignal: signal }).then((r) => ({ items: r.TargetGroups, next: r.NextMarker })))).map((g) => g.TargetGroupArn!));
    for (const arn of groups) await retryWhile(/ResourceInUse/, signal, () => ignoreNotFound(() => client.send(new sdk.DeleteTargetGroupCommand({ TargetGroupArn: arn }), { abortSignal: signal })));
    return [...lbs.map((a) => `elbv2:${a}`), ...groups.map((a) => `target-group:${a}`)];
  }

  /** Security groups the cloud controller or the LB controller made for load balancers (never EKS's own cluster group). */
  async function loadBalancerSecurityGroups(signal: AbortSignal): Promise<string[]> {
    const ec2 = await aws.ec2();
    const groups = (await describeGroups(ec2, [{ Name: "tag-key", Values: [clusterTag] }], signal)).filter(
      (g) => !opts.trackedIds.has(g.GroupId!) && (g.GroupName?.startsWith("k8s-elb-") || "elbv2.k8s.aws/cluster" in tagMap(g.Tags)),
    );
    for (const g of groups) {
      // Node security groups admit load-balancer traffic by group reference; such a rule blocks the deletion.
      for (const referrer of await describeGroups(ec2, [{ Name: "ip-permission.group-id", Values: [g.GroupId!] }], signal)) {
        const rules = (referrer.IpPermissions ?? []).filter((p) => p.UserIdGroupPairs?.some((pair) => pair.GroupId === g.GroupId));
        const IpPermissions = rules.map((p) => ({ ...p, UserIdGroupPairs: p.UserIdGroupPairs!.filter((pair) => pair.GroupId === g.GroupId) }));
        if (IpPermissions.length) await ignoreNotFound(() => ec2.client.send(new ec2.sdk.RevokeSecurityGroupIngressCommand({ GroupId: referrer.GroupId, IpPermissions }), { abortSignal: signal }));
      }
      await whileDependent(() => ec2.client.send(new ec2.sdk.DeleteSecurityGroupCommand({ GroupId: g.GroupId }), { abortSignal: signal }), signal, waitMs);
    }
    return groups.map((g) => `security-group:${g.GroupId}`);
  }

  /** NAT gateways in NIC's VPCs, then their Elastic IPs and those tagged for the cluster, found before the gateways go. */
  async function natGatewaysAndAddresses(signal: AbortSignal): Promise<string[]> {
    const ec2 = await aws.ec2();
    const tagged = await ec2.client.send(new ec2.sdk.DescribeAddressesCommand({ Filters: [{ Name: "tag-key", Values: [clusterTag] }] }), { abortSignal: signal });
    const allocations = new Set((tagged.Addresses ?? []).map((a) => a.AllocationId!));
    const gateways = !opts.vpcIds.length
      ? []
      : await pages((NextToken) => ec2.client.send(new ec2.sdk.DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: opts.vpcIds }], NextToken }), { abortSignal: signal }).then((r) => ({ items: r.NatGateways, next: r.NextToken })));
    const live = gateways.filter((g) => g.State !== "deleted");
    for (const g of live) for (const a of g.NatGatewayAddresses ?? []) if (a.AllocationId) allocations.add(a.AllocationId);
    for (const g of live) await ignoreNotFound(() => ec2.client.send(new ec2.sdk.DeleteNatGatewayCommand({ NatGatewayId: g.NatGatewayId }), { abortSignal: signal }));
    await until(`${live.length} NAT gateways to be deleted`, signal, async () => {
      if (!live.length) return true;
      const found = await orNotFound(() => ec2.client.send(new ec2.sdk.DescribeNatGatewaysCommand({ NatGatewayIds: live.map((g) => g.NatGatewayId!) }), { abortSignal: signal }));
      return (found?.NatGateways ?? []).every((g) => g.State === "deleted");
    });
    for (const id of allocations) await retryWhile(/InUse|AuthFailure/, signal, () => ignoreNotFound(() => ec2.client.send(new ec2.sdk.ReleaseAddressCommand({ AllocationId: id }), { abortSignal: signal })));
    return [...live.map((g) => `nat-gateway:${g.NatGatewayId}`), ...[...allocations].map((id) => `elastic-ip:${id}`)];
  }

  /** Waits until no network interface is left in a subnet or uses a security group, deleting detached ones. */
  async function drainInterfaces(filter: "subnet-id" | "group-id", id: string, signal: AbortSignal): Promise<void> {
    const ec2 = await aws.ec2();
    let announced = false;
    await until(`network interfaces of ${id} to go`, signal, async () => {
      const { NetworkInterfaces = [] } = await ec2.client.send(new ec2.sdk.DescribeNetworkInterfacesCommand({ Filters: [{ Name: filter, Values: [id] }] }), { abortSignal: signal });
      for (const eni of NetworkInterfaces.filter((n) => n.Status === "available")) {
        await ignoreNotFound(() => ec2.client.send(new ec2.sdk.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }), { abortSignal: signal })).catch(() => {});
      }
      if (NetworkInterfaces.length && !announced) {
        opts.log.info(`Waiting for ${NetworkInterfaces.length} network interfaces of ${id} to go (deleted node groups and load balancers leave them behind for minutes)`);
        announced = true;
      }
      return NetworkInterfaces.length === 0;
    }).catch((err) => {
      // Out of patience: the delete itself now reports the DependencyViolation that names the culprit.
      if (signal.aborted) throw err;
      opts.log.warn(`${messageOf(err)}; trying the deletion anyway`);
    });
  }

  /** Polls `done` (every 100 ms at first, every 2 s after a while) until it is true or the wait is over. */
  async function until(what: string, signal: AbortSignal, done: () => Promise<boolean>): Promise<void> {
    const start = Date.now();
    while (!(await done())) {
      if (Date.now() - start > waitMs) throw new Error(`gave up waiting for ${what} after ${Math.round(waitMs / 1000)} s`);
      await sleep(Math.min(2000, Math.max(100, (Date.now() - start) / 5)), signal);
    }
  }

  async function retryWhile(code: RegExp, signal: AbortSignal, call: () => Promise<void>): Promise<void> {
    const start = Date.now();
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (!code.test(errorCode(err)) || Date.now() - start > waitMs) throw err;
        await sleep(3000, signal);
      }
    }
  }

  const sweep = async (signal: AbortSignal, withGateways: boolean): Promise<SweepReport> => {
    const report: SweepReport = { deleted: [], unsupported: [] };
    await step("classic load balancers", report, () => classicLoadBalancers(signal));
    await step("load balancers and target groups", report, () => loadBalancersV2(signal));
    await step("load-balancer security groups", report, () => loadBalancerSecurityGroups(signal));
    if (withGateways) await step("NAT gateways and Elastic IPs", report, () => natGatewaysAndAddresses(signal));
    return report;
  };

  return {
    sweeps: [
      "load balancers, target groups and load-balancer security groups tagged for the cluster",
      "NAT gateways in NIC's VPC and Elastic IPs tagged for the cluster",
    ],
    before: (signal) => sweep(signal, true),
    // A last pass for what appeared meanwhile (a controller finishing late); gateways are gone with their VPC.
    after: (signal) => sweep(signal, false),
    kinds: (kinds: ResourceKind[]) =>
      kinds.map((k) => {
        const filter = k.kind === "aws/subnet" ? "subnet-id" : k.kind === "aws/security_group" ? "group-id" : undefined;
        if (!filter) return k;
        return { ...k, delete: async (actual, ctx) => (await drainInterfaces(filter, actual.id, ctx.signal), k.delete(actual, ctx)) };
      }),
  };
}

function describeGroups(ec2: Ec2, Filters: { Name: string; Values: string[] }[], signal: AbortSignal) {
  return pages((NextToken) => ec2.client.send(new ec2.sdk.DescribeSecurityGroupsCommand({ Filters, NextToken }), { abortSignal: signal }).then((r) => ({ items: r.SecurityGroups, next: r.NextToken })));
}

/** None of `wanted` is among `present`. */
function none(wanted: readonly string[], present: readonly string[]): boolean {
  const now = new Set(present);
  return !wanted.some((x) => now.has(x));
}

function chunks<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));
}

function lazy<M, C>(load: () => Promise<M>, make: (sdk: M) => C): () => Promise<{ sdk: M; client: C }> {
  let loaded: Promise<{ sdk: M; client: C }> | undefined;
  return () => (loaded ??= load().then((sdk) => ({ sdk, client: make(sdk) })));
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
