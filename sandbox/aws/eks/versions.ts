// EKS DescribeClusterVersions: the Kubernetes versions EKS offers today, with their support status, from AWS's published
// release calendar (the same table NIC's offline catalogue records, src/config/catalog/support-windows.ts).
import { json } from "../../protocols/json.ts";
import { SUPPORT_WINDOWS } from "../../../src/config/catalog/support-windows.ts";
import type { RestRoute } from "../service.ts";

const epoch = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** The versions EKS lists on `now` (`all`: unsupported ones too), each with its STANDARD_SUPPORT / EXTENDED_SUPPORT status. */
export function eksVersions(now = Date.now(), all = false) {
  const today = new Date(now).toISOString().slice(0, 10);
  const rows = Object.entries(SUPPORT_WINDOWS.aws).map(([minor, w]) => ({
    clusterVersion: `1.${minor}`,
    clusterType: "eks",
    defaultPlatformVersion: "eks.1",
    releaseDate: epoch(w.standard) - 14 * 30 * 86400,
    endOfStandardSupportDate: epoch(w.standard),
    endOfExtendedSupportDate: epoch(w.extended!),
    versionStatus: w.extended! < today ? "UNSUPPORTED" : w.standard < today ? "EXTENDED_SUPPORT" : "STANDARD_SUPPORT",
  }));
  const offered = rows.filter((r) => all || r.versionStatus !== "UNSUPPORTED");
  const standard = offered.filter((r) => r.versionStatus === "STANDARD_SUPPORT");
  const latest = (standard.length ? standard : offered).at(-1)?.clusterVersion;
  return offered.map((r) => ({ ...r, status: r.versionStatus, defaultVersion: r.clusterVersion === latest, kubernetesPatchVersion: `${r.clusterVersion}.4` }));
}

export const versionRoutes: RestRoute[] = [
  ["GET", "/cluster-versions", "DescribeClusterVersions", ({ query }) => {
    const wanted = query.getAll("clusterVersions");
    const status = query.get("versionStatus") ?? query.get("status");
    const defaultOnly = query.get("defaultOnly") === "true";
    const versions = eksVersions().filter((v) => (!wanted.length || wanted.includes(v.clusterVersion)) && (!status || v.versionStatus === status) && (!defaultOnly || v.defaultVersion));
    return json({ clusterVersions: versions });
  }],
];
