// Nebari's node_locations: the config's availability_zones, else the first zone Compute lists for the region
// (`data.google_compute_zones.gcpzones.names[0]`). A deployment keeps the zones its state records.
import { NicError } from "../../cli/errors.ts";
import type { NebariConfig } from "../../config/model.ts";
import type { State } from "../../state/format.ts";
import type { GcpClients } from "./clients.ts";
import { CLUSTER, gcpBlock } from "./desired.ts";

export async function withZones(config: NebariConfig, state: State | undefined, gcp: GcpClients): Promise<NebariConfig> {
  const block = gcpBlock(config);
  if (block.availability_zones.length) return config;
  const recorded = state?.resources[CLUSTER]?.attributes?.node_locations;
  const zones = Array.isArray(recorded) && recorded.length ? (recorded as string[]) : [await firstZone(gcp, block.project, block.region)];
  return { ...config, google_cloud_platform: { ...block, availability_zones: zones } };
}

async function firstZone(gcp: GcpClients, project: string, region: string): Promise<string> {
  const filter = encodeURIComponent(`region eq ".*/regions/${region}"`);
  const list = await gcp.rest<{ items?: { name: string; status?: string }[] }>("compute", "GET", `compute/v1/projects/${project}/zones?filter=${filter}`);
  const zone = (list.items ?? []).find((z) => z.status !== "DOWN")?.name;
  if (zone) return zone;
  throw new NicError("CONFIG_INVALID", `Compute Engine lists no zone in region ${region} of project ${project}`, {
    details: { region, project },
    recovery: ["Check google_cloud_platform.region, or name the zones with google_cloud_platform.availability_zones."],
  });
}
