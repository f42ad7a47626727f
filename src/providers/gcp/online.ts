// `nic validate --online` (and `nic deploy` before its first change) on GCP: asks Compute Engine and GKE, with the caller's
// credentials, whether the region and its zones exist and are up, each node group's machine type and GPUs are offered in
// the zones the cluster uses, and GKE offers the Kubernetes version today (getServerConfig, Nebari's prefix match).
// Every failure says what Google offers instead.
import { closest } from "../../cli/suggest.ts";
import type { GcpConfig } from "../../config/model.ts";
import type { OnlineProblem } from "../aws/online.ts";
import { gcpClients, type Env, type GcpClients } from "./clients.ts";
import { gapic, GcpApiError } from "./errors.ts";

export interface GcpOnlineOptions {
  env: Env;
  /** Replaces the HTTP layer (recording.ts: record or replay). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** "existing": the state tracks the cluster, so a version GKE no longer offers is a warning (GKE upgrades it itself). */
  deployment?: "new" | "existing";
}

interface Named {
  name: string;
  status?: string;
}

export async function gcpOnlineChecks(config: GcpConfig, opts: GcpOnlineOptions): Promise<OnlineProblem[]> {
  const gcp = gcpClients({ project: config.project, region: config.region, env: opts.env, fetch: opts.fetch });
  const compute = <T>(path: string) => gcp.rest<T>("compute", "GET", `compute/v1/projects/${config.project}/${path}`, undefined, opts.signal);
  const problems: OnlineProblem[] = [];
  const error = (path: OnlineProblem["path"], message: string, hint?: string) => problems.push({ severity: "error", path, message, hint });
  const at = (...rest: (string | number)[]) => ["google_cloud_platform", ...rest];

  // Region, zones and GKE's versions do not depend on each other: asked at once, one round trip before a deploy's first change.
  const filter = encodeURIComponent(`region eq ".*/regions/${config.region}"`);
  const [regionsAnswer, zonesAnswer, serverAnswer] = await Promise.allSettled([
    compute<{ items?: Named[] }>("regions"),
    compute<{ items?: Named[] }>(`zones?filter=${filter}`),
    serverConfig(config, gcp),
  ]);
  // Region: one that does not exist or is down makes every other question moot.
  const regions = valueOf(regionsAnswer).items ?? [];
  const region = regions.find((r) => r.name === config.region);
  const up = regions.filter((r) => r.status !== "DOWN").map((r) => r.name).sort();
  if (!region) {
    const guess = closest(config.region, up);
    error(at("region"), `GCP has no region "${config.region}" for project ${config.project}`, `${guess ? `Did you mean ${guess}? ` : ""}It offers ${up.join(", ")}`);
    return problems;
  }
  if (region.status === "DOWN") {
    error(at("region"), `${config.region} is DOWN`, `Regions up now: ${up.join(", ")}`);
    return problems;
  }

  // Zones: the ones named, else Nebari's first zone of the region (src/providers/gcp/zones.ts asks the same list).
  const listed = valueOf(zonesAnswer).items ?? [];
  const zonesUp = listed.filter((z) => z.status !== "DOWN").map((z) => z.name).sort();
  config.availability_zones.forEach((zone, i) => {
    if (!zonesUp.includes(zone)) error(at("availability_zones", i), `${config.region} has no zone "${zone}" that is up`, `It offers ${zonesUp.join(", ")}`);
  });
  const zones = config.availability_zones.length ? config.availability_zones.filter((z) => zonesUp.includes(z)) : zonesUp.slice(0, 1);

  await checkMachines(config, zones, { compute, error, at });
  checkKubernetes(config, valueOf(serverAnswer), { ...opts, problems, at });
  return problems;
}

function valueOf<T>(answer: PromiseSettledResult<T>): T {
  if (answer.status === "rejected") throw answer.reason;
  return answer.value;
}

interface Ask {
  compute<T>(path: string): Promise<T>;
  error(path: OnlineProblem["path"], message: string, hint?: string): void;
  at(...rest: (string | number)[]): (string | number)[];
}

/** The item, or undefined when Compute answers 404 (not offered there). */
async function offered<T>(ask: Ask, path: string): Promise<T | undefined> {
  try {
    return await ask.compute<T>(path);
  } catch (err) {
    if (err instanceof GcpApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** Each node group's machine type and accelerators, in every zone the node pools use: one finding per value, naming the zones. */
async function checkMachines(config: GcpConfig, zones: string[], ask: Ask) {
  // Every group is asked at once; its findings keep the configuration's order.
  const findings = await Promise.all(
    config.node_groups.map(async (group) => {
      const found: Parameters<Ask["error"]>[] = [];
      await checkGroup(group, zones, { ...ask, error: (...finding) => void found.push(finding) });
      return found;
    }),
  );
  for (const finding of findings.flat()) ask.error(...finding);
}

async function checkGroup(group: GcpConfig["node_groups"][number], zones: string[], ask: Ask) {
  const listOf = async (zone: string, what: "machineTypes" | "acceleratorTypes") => ((await ask.compute<{ items?: Named[] }>(`zones/${zone}/${what}`)).items ?? []).map((i) => i.name).sort();
  const where = async <T>(what: "machineTypes" | "acceleratorTypes", name: string) => {
    const found = await Promise.all(zones.map((z) => offered<T>(ask, `zones/${z}/${what}/${name}`)));
    return { missing: zones.filter((_, i) => !found[i]), item: found.find(Boolean) };
  };
  const notOffered = async (path: OnlineProblem["path"], what: "machineTypes" | "acceleratorTypes", name: string, missing: string[], alike: (n: string) => boolean) => {
    const elsewhere = zones.filter((z) => !missing.includes(z));
    if (elsewhere.length) return ask.error(path, `${name} is not offered in ${missing.join(", ")}`, `It is offered in ${elsewhere.join(", ")}: list only those under availability_zones, or choose another`);
    const there = (await listOf(missing[0]!, what)).filter(alike);
    ask.error(path, `${name} is not offered in ${missing.join(", ")}`, there.length ? `${missing[0]} offers ${there.join(", ")}` : `Choose one Compute Engine offers there (gcloud compute ${what === "machineTypes" ? "machine-types" : "accelerator-types"} list)`);
  };
  const machine = await where("machineTypes", group.instance);
  const family = `${group.instance.split("-")[0]}-`;
  if (machine.missing.length) await notOffered(ask.at("node_groups", group.name, "instance"), "machineTypes", group.instance, machine.missing, (n) => n.startsWith(family));
  for (const [i, gpu] of group.guest_accelerators.entries()) {
    const found = await where<{ maximumCardsPerInstance?: number }>("acceleratorTypes", gpu.name);
    if (found.missing.length) await notOffered(ask.at("node_groups", group.name, "guest_accelerators", i, "name"), "acceleratorTypes", gpu.name, found.missing, () => true);
    const most = found.item?.maximumCardsPerInstance;
    if (most && gpu.count > most) ask.error(ask.at("node_groups", group.name, "guest_accelerators", i, "count"), `is ${gpu.count}, but a VM takes at most ${most} ${gpu.name}`);
  }
}

interface ServerConfig {
  validMasterVersions?: string[];
  channels?: { channel?: string | number; validVersions?: string[] }[];
}

/** GKE's versions today in the region. */
async function serverConfig(config: GcpConfig, gcp: GcpClients): Promise<ServerConfig> {
  const container = await gcp.container();
  const [server] = (await gapic(() => container.getServerConfig({ name: `projects/${config.project}/locations/${config.region}` }))) as unknown as [ServerConfig];
  return server;
}

/** Nebari accepts a version when one of GKE's starts with it. */
function checkKubernetes(config: GcpConfig, server: ServerConfig, ask: GcpOnlineOptions & { problems: OnlineProblem[]; at: Ask["at"] }) {
  const versions = server.validMasterVersions ?? [];
  const wanted = config.kubernetes_version;
  const path = ask.at("kubernetes_version");
  const minors = [...new Set(versions.map((v) => v.split(".").slice(0, 2).join(".")))].sort(byVersion);
  if (!versions.some((v) => v.startsWith(wanted))) {
    const existing = ask.deployment === "existing";
    ask.problems.push({
      severity: existing ? "warning" : "error",
      path,
      message: `GKE does not offer Kubernetes ${wanted} in ${config.region} today${existing ? "; GKE upgrades the existing cluster itself" : ""}`,
      hint: `GKE offers ${minors.join(", ")} (a prefix such as ${minors.at(-1)} picks the newest patch)`,
    });
    return;
  }
  const channel = config.release_channel.toUpperCase();
  if (channel === "UNSPECIFIED") return;
  // GAPIC's REST transport may give the channel as its enum number (proto order).
  const names = ["UNSPECIFIED", "RAPID", "REGULAR", "STABLE", "EXTENDED"];
  const listed = server.channels?.find((c) => (typeof c.channel === "number" ? names[c.channel] : c.channel) === channel);
  if (listed && !(listed.validVersions ?? []).some((v) => v.startsWith(wanted))) {
    const inChannel = [...new Set((listed.validVersions ?? []).map((v) => v.split(".").slice(0, 2).join(".")))].sort(byVersion);
    ask.problems.push({ severity: "warning", path, message: `${wanted} is not offered in the ${channel} release channel today`, hint: `${channel} offers ${inChannel.join(", ") || "no version"}; GKE may pick another version for the cluster` });
  }
}

function byVersion(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  return x![0]! - y![0]! || x![1]! - y![1]!;
}
