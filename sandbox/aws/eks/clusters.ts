// EKS clusters: CREATING → ACTIVE after delays.eksClusterCreate, DELETING → gone after delays.eksClusterDelete.
// Each cluster owns a cluster security group and cross-account ENIs in its subnets, like real EKS.
import { AwsError, notFound } from "../../protocols/errors.ts";
import { epoch, json } from "../../protocols/json.ts";
import { hex, type Resource, type World } from "../../world.ts";
import { createInterface, releaseInterfaces } from "../ec2/interfaces.ts";
import { createSecurityGroup } from "../ec2/security-groups.ts";
import type { Subnet } from "../ec2/vpc.ts";
import type { RestRoute } from "../service.ts";
import { replayed, tokened, type Tokened } from "../idempotency.ts";
import { serviceLoadBalancer } from "../elb.ts";
import type { EksRuntime, KubeApiEntry } from "./runtime.ts";

export interface Cluster extends Resource, Tokened {
  arn: string;
  createdAt: number;
  status: "CREATING" | "ACTIVE" | "DELETING" | "UPDATING" | "FAILED";
  /** Epoch ms of the next transition. */
  transitionAt: number;
  version: string;
  roleArn: string;
  vpcConfig: Record<string, unknown> & { subnetIds: string[]; securityGroupIds: string[] };
  clusterSecurityGroupId: string;
  vpcId: string;
  kubernetesNetworkConfig: Record<string, unknown>;
  logging: unknown;
  encryptionConfig?: unknown;
  accessConfig: Record<string, unknown>;
  upgradePolicy: unknown;
  bootstrapSelfManagedAddons: boolean;
  oidcIssuer: string;
  updates: Record<string, unknown>[];
}

export const CLUSTER = "eks:cluster";
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export function getCluster(world: World, name: string): Cluster {
  const c = world.table<Cluster>(CLUSTER).get(name);
  if (!c) throw notFound("ResourceNotFoundException", `No cluster found for name: ${name}.`);
  return c;
}

export function renderCluster(c: Cluster, runtime: EksRuntime) {
  const kube = runtime.kubeApis.get(c.id)?.api;
  const active = c.status !== "CREATING";
  return {
    name: c.id,
    arn: c.arn,
    createdAt: epoch(c.createdAt),
    version: c.version,
    endpoint: active ? (kube?.endpoint ?? `https://${c.id}.no-kube-api.sandbox.invalid`) : undefined,
    roleArn: c.roleArn,
    resourcesVpcConfig: { ...c.vpcConfig, clusterSecurityGroupId: c.clusterSecurityGroupId, vpcId: c.vpcId },
    kubernetesNetworkConfig: c.kubernetesNetworkConfig,
    logging: c.logging,
    identity: { oidc: { issuer: c.oidcIssuer } },
    status: c.status,
    certificateAuthority: active ? { data: btoa(kube?.caPem ?? runtime.placeholderCaPem) } : {},
    platformVersion: "eks.1",
    tags: c.tags,
    encryptionConfig: c.encryptionConfig,
    accessConfig: c.accessConfig,
    upgradePolicy: c.upgradePolicy,
    health: { issues: [] },
  };
}

/** Start the cluster's Kubernetes API; its LoadBalancer Services get ELBs in this world. */
function startKube(runtime: EksRuntime, world: World, c: Cluster): void {
  if (!runtime.startKubeApi) return;
  const { kubeCrdEstablished, kubeWorkloadReady } = world.delays;
  const delays = { ...(kubeCrdEstablished !== undefined && { crdEstablishedMs: kubeCrdEstablished }), ...(kubeWorkloadReady !== undefined && { workloadReadyMs: kubeWorkloadReady }) };
  const entry: KubeApiEntry = { ready: runtime.startKubeApi({ name: c.id, kubernetesVersion: c.version, delays }) };
  entry.ready.then(
    (api) => {
      entry.api = api;
      api.onLoadBalancer = (event) => serviceLoadBalancer(world, { id: c.id, vpcId: c.vpcId, subnetIds: c.vpcConfig.subnetIds }, event);
    },
    (err) => {
      entry.failed = err;
      console.error(`sandbox: Kubernetes API for cluster ${c.id} failed to start:`, err);
    },
  );
  runtime.kubeApis.set(c.id, entry);
}

async function stopKube(runtime: EksRuntime, name: string): Promise<void> {
  const entry = runtime.kubeApis.get(name);
  runtime.kubeApis.delete(name);
  if (entry?.api) await entry.api.stop();
  else entry?.ready.then((api) => api.stop(), () => {});
}

/** Advance transitions. A cluster turns ACTIVE only once its Kubernetes API is up (or failed). */
export function settleClusters(world: World, now: number, runtime: EksRuntime): void {
  for (const c of [...world.table<Cluster>(CLUSTER).values()]) {
    if (c.status === "ACTIVE" || c.status === "FAILED") continue;
    if (c.transitionAt > now) {
      world.due(c.transitionAt);
      continue;
    }
    if (c.status === "CREATING" || c.status === "UPDATING") {
      const kube = runtime.kubeApis.get(c.id);
      if (kube && !kube.api && !kube.failed) {
        world.due(now + 20);
        continue;
      }
      c.status = "ACTIVE";
      for (const u of c.updates) u.status = "Successful";
      world.changed();
    } else if (c.status === "DELETING") {
      releaseInterfaces(world, c.arn, 0);
      world.remove("ec2:security-group", c.clusterSecurityGroupId);
      world.remove(CLUSTER, c.id);
      void stopKube(runtime, c.id);
    }
  }
}

function validSubnets(world: World, ids: string[]): Subnet[] {
  const subnets = ids.map((id) => world.table<Subnet>("ec2:subnet").get(id));
  const missing = ids.filter((_, i) => !subnets[i]);
  if (missing.length) throw new AwsError("InvalidParameterException", `The subnet ID '${missing[0]}' does not exist`);
  const zones = new Set(subnets.map((s) => s!.availabilityZone));
  if (zones.size < 2) throw new AwsError("InvalidParameterException", "Subnets specified must be in at least two different AZs");
  return subnets as Subnet[];
}

export function clusterRoutes(runtime: EksRuntime): RestRoute[] {
  return [
    ["POST", "/clusters", "CreateCluster", ({ body, world }) => {
      const name = String(body.name ?? "");
      if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(name)) throw new AwsError("InvalidParameterException", `Invalid cluster name: ${name}`);
      // EKS does not document the error for a token reused with other parameters; the sandbox answers InvalidParameterException.
      const made = replayed<Cluster>(world, CLUSTER, body.clientRequestToken, body, "InvalidParameterException");
      if (made) return json({ cluster: renderCluster(made, runtime) });
      if (world.table(CLUSTER).has(name)) throw new AwsError("ResourceInUseException", `Cluster already exists with name: ${name}`, 409);
      const role = world.all().find((r) => r.type === "iam:role" && (r as { arn?: string }).arn === body.roleArn) as { createdAtMs?: number } | undefined;
      if (!role) throw new AwsError("InvalidParameterException", `Role with arn: ${body.roleArn}, does not exist.`);
      // IAM is eventually consistent: a role just made cannot be assumed by EKS yet.
      if (Date.now() - (role.createdAtMs ?? 0) < world.delays.iamPropagation)
        throw new AwsError("InvalidParameterException", `Role with arn: ${body.roleArn}, could not be assumed because it does not exist or the trusted entity is not correct.`);
      const vpc = body.resourcesVpcConfig ?? {};
      const subnets = validSubnets(world, vpc.subnetIds ?? []);
      const vpcId = subnets[0]!.vpcId;
      const clusterSg = createSecurityGroup(world, {
        vpcId,
        groupName: `eks-cluster-sg-${name}-${String(Math.random()).slice(2, 12)}`,
        description: "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
        tags: { Name: `eks-cluster-sg-${name}`, "aws:eks:cluster-name": name, [`kubernetes.io/cluster/${name}`]: "owned" },
      });
      clusterSg.ingress.push({ ipProtocol: "-1", groups: [{ groupId: clusterSg.id, userId: world.account }], ipRanges: [], ipv6Ranges: [], prefixListIds: [] });
      const now = Date.now();
      const c = world.put<Cluster>({
        ...tokened(body.clientRequestToken, body),
        type: CLUSTER,
        id: name,
        name,
        tags: body.tags ?? {},
        arn: `arn:aws:eks:${world.region}:${world.account}:cluster/${name}`,
        createdAt: now,
        status: "CREATING",
        transitionAt: now + world.delays.eksClusterCreate,
        version: body.version ?? "1.31",
        roleArn: body.roleArn,
        vpcConfig: {
          subnetIds: vpc.subnetIds,
          securityGroupIds: vpc.securityGroupIds ?? [],
          endpointPublicAccess: vpc.endpointPublicAccess ?? true,
          endpointPrivateAccess: vpc.endpointPrivateAccess ?? false,
          publicAccessCidrs: vpc.publicAccessCidrs ?? ["0.0.0.0/0"],
        },
        clusterSecurityGroupId: clusterSg.id,
        vpcId,
        kubernetesNetworkConfig: {
          serviceIpv4Cidr: body.kubernetesNetworkConfig?.serviceIpv4Cidr ?? "172.20.0.0/16",
          ipFamily: body.kubernetesNetworkConfig?.ipFamily ?? "ipv4",
          elasticLoadBalancing: { enabled: false },
        },
        logging: body.logging ?? { clusterLogging: [{ types: LOG_TYPES, enabled: false }] },
        encryptionConfig: body.encryptionConfig,
        accessConfig: { authenticationMode: body.accessConfig?.authenticationMode ?? "CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: body.accessConfig?.bootstrapClusterCreatorAdminPermissions ?? true },
        upgradePolicy: body.upgradePolicy ?? { supportType: "EXTENDED" },
        bootstrapSelfManagedAddons: body.bootstrapSelfManagedAddons ?? true,
        oidcIssuer: `${runtime.oidcIssuerBase}/id/${hex(32).toUpperCase()}`,
        updates: [],
      });
      for (const s of subnets.slice(0, 2))
        createInterface(world, { subnetId: s.id, groupIds: [clusterSg.id, ...c.vpcConfig.securityGroupIds], description: `Amazon EKS ${name}`, owner: c.arn, requesterId: "eks-control-plane" });
      world.due(c.transitionAt);
      startKube(runtime, world, c);
      return json({ cluster: renderCluster(c, runtime) });
    }],
    ["GET", "/clusters", "ListClusters", ({ world, query }) => {
      const names = [...world.table<Cluster>(CLUSTER).keys()];
      const start = Number(query.get("nextToken") ?? 0);
      const size = Number(query.get("maxResults") ?? 100);
      return json({ clusters: names.slice(start, start + size), nextToken: start + size < names.length ? String(start + size) : undefined });
    }],
    ["GET", "/clusters/{name}", "DescribeCluster", async ({ path, world }) => {
      let c = getCluster(world, path.name!);
      // A cluster read back from a state file has lost its Kubernetes API (process-local): start a fresh one.
      if (c.status === "ACTIVE" && !runtime.kubeApis.has(c.id) && runtime.startKubeApi) {
        startKube(runtime, world, c);
        await runtime.kubeApis.get(c.id)?.ready.catch(() => {});
      }
      if (c.status === "CREATING" && c.transitionAt <= Date.now()) {
        await runtime.kubeApis.get(c.id)?.ready.catch(() => {});
        settleClusters(world, Date.now(), runtime);
        c = getCluster(world, path.name!);
      }
      return json({ cluster: renderCluster(c, runtime) });
    }],
    ["DELETE", "/clusters/{name}", "DeleteCluster", ({ path, world }) => {
      const c = getCluster(world, path.name!);
      const nodegroups = [...world.table<Resource & { clusterName: string }>("eks:nodegroup").values()].filter((n) => n.clusterName === c.id);
      if (nodegroups.length) throw new AwsError("ResourceInUseException", `Cluster has nodegroups attached`, 409);
      if (c.status !== "DELETING") {
        c.status = "DELETING";
        c.transitionAt = Date.now() + world.delays.eksClusterDelete;
        for (const a of [...world.table<Resource & { clusterName: string }>("eks:addon").values()]) if (a.clusterName === c.id) world.remove("eks:addon", a.id);
        world.due(c.transitionAt);
        world.changed();
      }
      return json({ cluster: renderCluster(c, runtime) });
    }],
    ["POST", "/clusters/{name}/updates", "UpdateClusterVersion", ({ path, body, world }) => {
      const c = getCluster(world, path.name!);
      if (c.status !== "ACTIVE") throw new AwsError("ResourceInUseException", `Cluster is in ${c.status} state`, 409);
      const update = { id: crypto.randomUUID(), status: "InProgress", type: "VersionUpdate", params: [{ type: "Version", value: body.version }], createdAt: Date.now() / 1000, errors: [] };
      c.version = body.version;
      c.status = "UPDATING";
      c.transitionAt = Date.now() + world.delays.eksClusterCreate;
      c.updates.push(update);
      world.due(c.transitionAt);
      world.changed();
      return json({ update });
    }],
    ["POST", "/clusters/{name}/update-config", "UpdateClusterConfig", ({ path, body, world }) => {
      const c = getCluster(world, path.name!);
      if (c.status !== "ACTIVE") throw new AwsError("ResourceInUseException", `Cluster is in ${c.status} state`, 409);
      if (body.resourcesVpcConfig) Object.assign(c.vpcConfig, body.resourcesVpcConfig);
      if (body.logging) c.logging = body.logging;
      if (body.accessConfig) Object.assign(c.accessConfig, body.accessConfig);
      if (body.upgradePolicy) c.upgradePolicy = body.upgradePolicy;
      const update = { id: crypto.randomUUID(), status: "Successful", type: "ConfigUpdate", params: [], createdAt: Date.now() / 1000, errors: [] };
      c.updates.push(update);
      world.changed();
      return json({ update });
    }],
    ["GET", "/clusters/{name}/updates/{id}", "DescribeUpdate", ({ path, world }) => {
      const c = getCluster(world, path.name!);
      const update = c.updates.find((u) => u.id === path.id);
      if (!update) throw notFound("ResourceNotFoundException", `No update found for ID: ${path.id}`);
      return json({ update });
    }],
  ];
}
