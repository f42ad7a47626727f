// `nic validate --online` on AWS: asks EC2 and EKS, with the caller's credentials, whether what the configuration names
// exists and is offered today: the region (and that it is enabled), the zones, each node group's instance type in those
// zones (and its GPUs), the Kubernetes version and the add-on versions for it. Every failure says what AWS offers instead.
import { closest } from "../../cli/suggest.ts";
import type { AwsConfig } from "../../config/model.ts";
import { clientConfig, type AwsOptions } from "./clients.ts";

export interface OnlineProblem {
  severity: "error" | "warning";
  path: (string | number)[];
  message: string;
  hint?: string;
}

/** The add-ons NIC installs on every cluster (desired.ts). */
const ADDONS = ["aws-ebs-csi-driver", "coredns"];

/** `deployment: "existing"` (the state tracks the cluster): a version EKS no longer offers is a warning, not an error. */
export async function awsOnlineChecks(config: AwsConfig, opts: AwsOptions, signal?: AbortSignal, deployment?: "new" | "existing"): Promise<OnlineProblem[]> {
  const sdk = await import("./sdk/online.ts");
  const ec2 = new sdk.EC2Client(clientConfig(opts, "EC2"));
  const eks = new sdk.EKSClient(clientConfig(opts, "EKS"));
  const send = <T>(client: { send(c: any, o: any): Promise<T> }, command: unknown) => client.send(command, { abortSignal: signal });
  const at = (...rest: (string | number)[]) => ["amazon_web_services", ...rest];
  // Each part reports into its own list, so the answers come in a fixed order although the questions are asked at once,
  // in one round: the region, the zones, the Kubernetes version with its add-ons, the instance types. Asked one after
  // another they were eight round trips before a deploy's first change, then three.
  const part = () => {
    const problems: OnlineProblem[] = [];
    return {
      problems,
      error: (path: OnlineProblem["path"], message: string, hint?: string) => void problems.push({ severity: "error", path, message, hint }),
      warn: (path: OnlineProblem["path"], message: string, hint?: string) => void problems.push({ severity: "warning", path, message, hint }),
    };
  };
  const [regionPart, zonePart, typePart, versionPart] = [part(), part(), part(), part()];
  const regions = send<any>(ec2, new sdk.DescribeRegionsCommand({ AllRegions: true }));
  const listedZones = send<any>(ec2, new sdk.DescribeAvailabilityZonesCommand({}));
  const version = checkKubernetes(config, { eks, sdk, send, at, deployment, ...versionPart });
  const typeFacts = instanceTypes(config, { ec2, sdk, send, at, ...typePart });
  // With a region that does not exist or is not enabled, the other answers are moot (and may be refusals).
  for (const other of [listedZones, version, typeFacts]) other.catch(() => {});

  const { Regions = [] } = await regions;
  const region = Regions.find((r: any) => r.RegionName === config.region);
  const enabled = Regions.filter((r: any) => r.OptInStatus !== "not-opted-in").map((r: any) => r.RegionName as string);
  if (!region) {
    const guess = closest(config.region, enabled);
    regionPart.error(at("region"), `AWS has no region "${config.region}"`, `${guess ? `Did you mean ${guess}? ` : ""}Enabled for this account: ${enabled.sort().join(", ")}`);
    return regionPart.problems;
  }
  if (region.OptInStatus === "not-opted-in") {
    regionPart.error(at("region"), `${config.region} is not enabled for this account`, `Enable it (Account settings → AWS Regions) or choose one of: ${enabled.sort().join(", ")}`);
    return regionPart.problems;
  }

  // Zones: the ones named, else Nebari's first two.
  const { AvailabilityZones = [] } = await listedZones;
  const offeredZones = AvailabilityZones.filter((z: any) => z.State === "available").map((z: any) => z.ZoneName as string).sort();
  const named = config.availability_zones ?? [];
  named.forEach((zone, i) => {
    if (!offeredZones.includes(zone)) zonePart.error(at("availability_zones", i), `${config.region} has no available zone "${zone}"`, `It offers ${offeredZones.join(", ")}`);
  });
  const zones = named.length >= 2 ? named.filter((z) => offeredZones.includes(z)) : offeredZones.slice(0, 2);

  await Promise.all([checkInstanceTypes(config, zones, await typeFacts, { ec2, sdk, send, at, ...typePart }), version]);
  return [...zonePart.problems, ...typePart.problems, ...versionPart.problems];
}

interface Ask {
  sdk: typeof import("./sdk/online.ts");
  send: <T>(client: { send(c: any, o: any): Promise<T> }, command: unknown) => Promise<T>;
  error(path: OnlineProblem["path"], message: string, hint?: string): void;
  warn(path: OnlineProblem["path"], message: string, hint?: string): void;
  at(...rest: (string | number)[]): (string | number)[];
}

async function offerings(ask: Ask & { ec2: any }, locationType: "region" | "availability-zone", types: string[]): Promise<{ type: string; location: string }[]> {
  if (!types.length) return [];
  const found: { type: string; location: string }[] = [];
  const Filters = [{ Name: "instance-type", Values: types }];
  let NextToken: string | undefined;
  do {
    const page: any = await ask.send(ask.ec2, new ask.sdk.DescribeInstanceTypeOfferingsCommand({ LocationType: locationType, Filters, NextToken }));
    for (const o of page.InstanceTypeOfferings ?? []) found.push({ type: o.InstanceType, location: o.Location });
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

interface TypeFacts {
  inRegion: Set<string>;
  inZones: { type: string; location: string }[];
  details: Map<string, any>;
}

/**
 * Where the node groups' instance types are offered (the region, every zone of it) and what they are, asked at once.
 * DescribeInstanceTypes refuses the whole call when one type does not exist, so when the region does not offer every
 * type it is asked again for those it does.
 */
async function instanceTypes(config: AwsConfig, ask: Ask & { ec2: any }): Promise<TypeFacts> {
  const types = [...new Set(config.node_groups.map((g) => g.instance))];
  const describe = async (names: string[]) => (names.length ? ask.send<any>(ask.ec2, new ask.sdk.DescribeInstanceTypesCommand({ InstanceTypes: names as never })) : { InstanceTypes: [] });
  const [inRegion, inZones, described] = [offerings(ask, "region", types), offerings(ask, "availability-zone", types), describe(types)];
  for (const other of [inZones, described]) other.catch(() => {});
  const offered = new Set((await inRegion).map((o) => o.type));
  const known = types.filter((t) => offered.has(t));
  const details = new Map<string, any>();
  for (const t of (await (known.length === types.length ? described : describe(known))).InstanceTypes ?? []) details.set(t.InstanceType, t);
  return { inRegion: offered, inZones: await inZones, details };
}

/** Each node group's instance type: offered in the region, in every zone the node groups use, with GPUs when `gpu: true`. */
async function checkInstanceTypes(config: AwsConfig, zones: string[], { inRegion, inZones, details }: TypeFacts, ask: Ask & { ec2: any }) {
  for (const group of config.node_groups) {
    const path = ask.at("node_groups", group.name, "instance");
    if (!inRegion.has(group.instance)) {
      const family = `${group.instance.split(".")[0]}.*`;
      const sizes = [...new Set((await offerings(ask, "region", [family])).map((o) => o.type))].sort();
      ask.error(path, `${group.instance} is not offered in ${config.region}`, sizes.length ? `${config.region} offers ${sizes.join(", ")}` : "Choose an instance type EC2 offers in this region (aws ec2 describe-instance-type-offerings)");
      continue;
    }
    const missing = zones.filter((z) => !inZones.some((o) => o.type === group.instance && o.location === z));
    if (missing.length) {
      const offeredIn = inZones.filter((o) => o.type === group.instance).map((o) => o.location).sort();
      ask.error(path, `${group.instance} is not offered in ${missing.join(", ")}`, offeredIn.length ? `It is offered in ${offeredIn.join(", ")}: list those under availability_zones, or choose another type` : "Choose another instance type or other zones");
    }
    const gpus = details.get(group.instance)?.GpuInfo?.Gpus ?? [];
    const gpuText = gpus.map((g: any) => `${g.Count}× ${g.Manufacturer} ${g.Name}`).join(", ");
    if (group.gpu && !gpus.length) ask.error(ask.at("node_groups", group.name, "gpu"), `is true, but ${group.instance} has no GPU`, "Choose a GPU type such as g4dn.xlarge or g5.xlarge, or set gpu: false");
    if (!group.gpu && gpus.length) ask.warn(ask.at("node_groups", group.name, "gpu"), `is false, but ${group.instance} has ${gpuText}: without gpu: true the nodes get no NVIDIA drivers`);
  }
}

/** The Kubernetes version: offered by EKS today (and in which support), with versions of NIC's add-ons for it. */
async function checkKubernetes(config: AwsConfig, ask: Ask & { eks: any; deployment?: "new" | "existing" }) {
  const path = ask.at("kubernetes_version");
  // The add-ons' versions are asked beside the cluster versions; they count only when EKS offers the version.
  const versions = ask.send<any>(ask.eks, new ask.sdk.DescribeClusterVersionsCommand({}));
  const addons = Promise.all(ADDONS.map((addonName) => ask.send<any>(ask.eks, new ask.sdk.DescribeAddonVersionsCommand({ addonName, kubernetesVersion: config.kubernetes_version }))));
  addons.catch(() => {});
  const { clusterVersions = [] } = await versions;
  const offered = clusterVersions.filter((v: any) => (v.versionStatus ?? v.status) !== "UNSUPPORTED");
  const version = offered.find((v: any) => v.clusterVersion === config.kubernetes_version);
  if (!version) {
    const hint = `EKS offers ${offered.map((v: any) => v.clusterVersion).join(", ")}`;
    // Past extended support EKS refuses to create or upgrade to the version; an existing cluster runs on until AWS upgrades it.
    if (ask.deployment === "existing") ask.warn(path, `EKS no longer offers Kubernetes ${config.kubernetes_version}: it refuses new clusters of it and will upgrade this one itself`, hint);
    else ask.error(path, `EKS does not offer Kubernetes ${config.kubernetes_version} today`, hint);
    return;
  }
  if ((version.versionStatus ?? version.status) === "EXTENDED_SUPPORT") {
    const ends = version.endOfExtendedSupportDate ? new Date(version.endOfExtendedSupportDate).toISOString().slice(0, 10) : "soon";
    const standard = offered.filter((v: any) => (v.versionStatus ?? v.status) === "STANDARD_SUPPORT").map((v: any) => v.clusterVersion);
    ask.warn(path, `Kubernetes ${config.kubernetes_version} is in EKS extended support (billed extra) until ${ends}`, standard.length ? `EKS offers ${standard.join(", ")} in standard support` : "No version NIC knows is in standard support yet");
  }
  const answers = await addons;
  ADDONS.forEach((addonName, i) => {
    if (!(answers[i]!.addons ?? []).some((a: any) => (a.addonVersions ?? []).length)) ask.error(path, `EKS has no ${addonName} add-on version for Kubernetes ${config.kubernetes_version}`, "NIC installs it on every cluster; choose a version the add-on supports");
  });
}
