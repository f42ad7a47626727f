// EKS add-ons (coredns, aws-ebs-csi-driver, ...): CREATING → ACTIVE, DELETING → gone.
import { AwsError, notFound } from "../../protocols/errors.ts";
import { epoch, json } from "../../protocols/json.ts";
import { uuid, type Resource, type World } from "../../world.ts";
import type { RestRoute } from "../service.ts";
import { replayed, tokened, type Tokened } from "../idempotency.ts";
import { getCluster } from "./clusters.ts";
import { eksVersions } from "./versions.ts";

export interface Addon extends Resource, Tokened {
  clusterName: string;
  arn: string;
  status: "CREATING" | "ACTIVE" | "DELETING" | "UPDATING";
  transitionAt: number;
  createdAt: number;
  modifiedAt: number;
  addonVersion: string;
  configurationValues?: string;
  serviceAccountRoleArn?: string;
}

export const ADDON = "eks:addon";
const DEFAULT_VERSIONS: Record<string, string> = {
  coredns: "v1.11.4-eksbuild.2",
  "aws-ebs-csi-driver": "v1.41.0-eksbuild.1",
  "vpc-cni": "v1.19.2-eksbuild.1",
  "kube-proxy": "v1.31.3-eksbuild.2",
};

function getAddon(world: World, cluster: string, name: string): Addon {
  const a = world.table<Addon>(ADDON).get(`${cluster}/${name}`);
  if (!a) throw notFound("ResourceNotFoundException", `No addon: ${name} found in cluster: ${cluster}`);
  return a;
}

const render = (a: Addon) => ({
  addonName: a.name,
  clusterName: a.clusterName,
  status: a.status,
  addonVersion: a.addonVersion,
  addonArn: a.arn,
  health: { issues: [] },
  createdAt: epoch(a.createdAt),
  modifiedAt: epoch(a.modifiedAt),
  serviceAccountRoleArn: a.serviceAccountRoleArn,
  tags: a.tags,
  configurationValues: a.configurationValues,
});

export function settleAddons(world: World, now: number): void {
  for (const a of [...world.table<Addon>(ADDON).values()]) {
    if (a.status === "ACTIVE") continue;
    if (a.transitionAt > now) world.due(a.transitionAt);
    else if (a.status === "DELETING") world.remove(ADDON, a.id);
    else {
      a.status = "ACTIVE";
      world.changed();
    }
  }
}

export const addonRoutes: RestRoute[] = [
  ["POST", "/clusters/{name}/addons", "CreateAddon", ({ path, body, world }) => {
    const cluster = getCluster(world, path.name!);
    if (cluster.status !== "ACTIVE") throw new AwsError("InvalidRequestException", `Cluster '${cluster.id}' is not in ACTIVE status`);
    const name = String(body.addonName);
    const params = { ...body, clusterName: cluster.id };
    const made = replayed<Addon>(world, ADDON, body.clientRequestToken, params, "InvalidParameterException");
    if (made) return json({ addon: render(made) });
    if (world.table(ADDON).has(`${cluster.id}/${name}`)) throw new AwsError("ResourceInUseException", `Addon already exists with name: ${name}`, 409);
    if (body.configurationValues) {
      try {
        JSON.parse(body.configurationValues);
      } catch {
        throw new AwsError("InvalidParameterException", "ConfigurationValue provided in request is not supported: invalid JSON");
      }
    }
    const now = Date.now();
    const a = world.put<Addon>({
      ...tokened(body.clientRequestToken, params),
      type: ADDON,
      id: `${cluster.id}/${name}`,
      name,
      tags: body.tags ?? {},
      clusterName: cluster.id,
      arn: `arn:aws:eks:${world.region}:${world.account}:addon/${cluster.id}/${name}/${uuid()}`,
      status: "CREATING",
      transitionAt: now + world.delays.eksAddonCreate,
      createdAt: now,
      modifiedAt: now,
      addonVersion: body.addonVersion ?? DEFAULT_VERSIONS[name] ?? "v1.0.0-eksbuild.1",
      configurationValues: body.configurationValues,
      serviceAccountRoleArn: body.serviceAccountRoleArn,
    });
    world.due(a.transitionAt);
    return json({ addon: render(a) });
  }],
  ["GET", "/clusters/{name}/addons", "ListAddons", ({ path, world }) => {
    getCluster(world, path.name!);
    return json({ addons: [...world.table<Addon>(ADDON).values()].filter((a) => a.clusterName === path.name).map((a) => a.name) });
  }],
  ["GET", "/clusters/{name}/addons/{addon}", "DescribeAddon", ({ path, world }) => json({ addon: render(getAddon(world, path.name!, path.addon!)) })],
  ["POST", "/clusters/{name}/addons/{addon}/update", "UpdateAddon", ({ path, body, world }) => {
    const a = getAddon(world, path.name!, path.addon!);
    if (body.addonVersion) a.addonVersion = body.addonVersion;
    if (body.configurationValues !== undefined) a.configurationValues = body.configurationValues;
    if (body.serviceAccountRoleArn !== undefined) a.serviceAccountRoleArn = body.serviceAccountRoleArn;
    a.modifiedAt = Date.now();
    world.changed();
    const update = { id: uuid(), status: "Successful", type: "AddonUpdate", params: [], createdAt: epoch(Date.now()), errors: [] };
    getCluster(world, a.clusterName).updates.push(update);
    return json({ update });
  }],
  ["DELETE", "/clusters/{name}/addons/{addon}", "DeleteAddon", ({ path, world }) => {
    const a = getAddon(world, path.name!, path.addon!);
    if (a.status !== "DELETING") {
      a.status = "DELETING";
      a.transitionAt = Date.now() + world.delays.eksAddonDelete;
      world.due(a.transitionAt);
      world.changed();
    }
    return json({ addon: render(a) });
  }],
  ["GET", "/addons/supported-versions", "DescribeAddonVersions", ({ query }) => {
    const names = query.getAll("addonName");
    // Add-on versions exist only for Kubernetes versions EKS has released (none for 1.99).
    const offered = eksVersions(0, true).map((v) => v.clusterVersion);
    const wanted = query.get("kubernetesVersion");
    const clusterVersions = wanted ? offered.filter((v) => v === wanted) : offered;
    const addons = Object.entries(DEFAULT_VERSIONS)
      .filter(([name]) => !names.length || names.includes(name))
      .map(([addonName, version]) => ({
        addonName,
        type: "networking",
        addonVersions: clusterVersions.length
          ? [{ addonVersion: version, architecture: ["amd64", "arm64"], compatibilities: clusterVersions.map((clusterVersion) => ({ clusterVersion, defaultVersion: true, platformVersions: ["*"] })) }]
          : [],
      }));
    return json({ addons });
  }],
];
