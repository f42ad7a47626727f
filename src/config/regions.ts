// Offline region and zone checks against the catalogs in catalog/regions.ts. Online checks (src/providers/*/online.ts) ask the
// cloud itself, so an unknown region is only a warning here: the catalog may be older than the cloud.
import { closest } from "../cli/suggest.ts";
import { AWS_REGIONS, AZURE_REGIONS, GCP_REGIONS } from "./catalog/regions.ts";
import { quote, type Path } from "./problems.ts";
import { note, type Ctx } from "./sections.ts";

type Cloud = "aws" | "gcp" | "azure";
const CLOUD = { aws: "AWS", gcp: "GCP", azure: "Azure" };

/** The zones a region offers: `us-east-1a` on AWS, `us-central1-a` on GCP. */
export function zonesOf(cloud: "aws" | "gcp", region: string): string[] {
  const letters = (cloud === "aws" ? AWS_REGIONS : GCP_REGIONS)[region] ?? "";
  return [...letters].map((l) => (cloud === "aws" ? `${region}${l}` : `${region}-${l}`));
}

/** The region a zone name belongs to, if it is shaped like one of the provider's zones. */
export function regionOfZone(cloud: "aws" | "gcp", zone: string): string | undefined {
  // AWS region names have two to four parts (us-west-2, us-gov-west-1, us-isob-east-1, eusc-de-east-1); the zone adds a letter.
  const m = (cloud === "aws" ? /^([a-z]+(?:-[a-z]+){1,3}-\d+)[a-z]$/ : /^([a-z]+-[a-z]+\d+)-[a-z]$/).exec(zone);
  return m?.[1];
}

/**
 * Checks the region: a zone given as a region is an error naming the region; an Azure display name becomes the canonical
 * name; a region missing from the catalog is a warning. Returns the region to use.
 */
export function checkRegion(cloud: Cloud, region: string, path: Path, ctx: Ctx): string {
  if (cloud === "azure") return azureRegion(region, path, ctx);
  const catalog = cloud === "aws" ? AWS_REGIONS : GCP_REGIONS;
  if (region in catalog) return region;
  const zoneOf = regionOfZone(cloud, region);
  if (zoneOf && zoneOf in catalog) {
    ctx.problems.error(path, `${quote(region)} is a zone, not a region`, { hint: `Did you mean ${zoneOf}? Write region: ${zoneOf} and list the zone under availability_zones` });
    return region;
  }
  unknownRegion(cloud, region, Object.keys(catalog), path, ctx);
  return region;
}

function azureRegion(region: string, path: Path, ctx: Ctx): string {
  const key = region.toLowerCase().replaceAll(/\s+/g, "");
  if (key in AZURE_REGIONS) {
    if (key !== region) note(ctx, path, `"${region}" is Azure's display name of ${key}; NIC uses the canonical name ${key}`);
    return key;
  }
  unknownRegion("azure", region, Object.keys(AZURE_REGIONS), path, ctx);
  return region;
}

function unknownRegion(cloud: Cloud, region: string, known: string[], path: Path, ctx: Ctx) {
  const guess = closest(region, known);
  ctx.problems.warn(path, `${quote(region)} is not a ${CLOUD[cloud]} region NIC knows (its catalog may be older than the cloud)`, {
    hint: `${guess ? `Did you mean ${guess}? ` : ""}\`nic validate --online\` asks ${CLOUD[cloud]} and makes this an error if the region does not exist`,
  });
}

/** Each zone must belong to the region; a zone of the right region missing from the catalog is a warning. */
export function checkZones(cloud: "aws" | "gcp", region: string, zones: string[], path: Path, ctx: Ctx) {
  const offered = zonesOf(cloud, region);
  if (!offered.length) return; // an unknown region was reported already
  zones.forEach((zone, i) => {
    if (offered.includes(zone)) return;
    const owner = regionOfZone(cloud, zone);
    if (owner !== region) {
      ctx.problems.error([...path, i], `${quote(zone)} is not a zone of ${region}`, { hint: `${region} offers ${offered.join(", ")}` });
    } else {
      ctx.problems.warn([...path, i], `${quote(zone)} is not a zone NIC knows in ${region} (it offers ${offered.join(", ")})`, { hint: "`nic validate --online` asks the cloud" });
    }
  });
}
