// GKE's server config: the versions it offers (Nebari picks the latest master version with the configured prefix).
import { invalid } from "./http.ts";

const VERSIONS = ["1.34.1-gke.1431000", "1.33.5-gke.1162000", "1.33.4-gke.1245000", "1.32.9-gke.1130000", "1.31.13-gke.1023000", "1.30.14-gke.1152000", "1.29.15-gke.1325000"];
const DEFAULT = "1.33.5-gke.1162000";

export function serverConfig() {
  const channel = (name: string, defaultVersion: string) => ({ channel: name, defaultVersion, validVersions: VERSIONS.filter((v) => v <= defaultVersion) });
  return {
    defaultClusterVersion: DEFAULT,
    validNodeVersions: VERSIONS,
    defaultImageType: "COS_CONTAINERD",
    validImageTypes: ["COS_CONTAINERD", "UBUNTU_CONTAINERD", "WINDOWS_LTSC_CONTAINERD"],
    validMasterVersions: VERSIONS,
    channels: [channel("RAPID", VERSIONS[0]!), channel("REGULAR", DEFAULT), channel("STABLE", "1.32.9-gke.1130000"), channel("EXTENDED", "1.31.13-gke.1023000")],
  };
}

/** `1.31` or `1.31.13` → the newest version with that prefix; `latest`, `-` or nothing → the default; exact versions as given. */
export function resolveVersion(requested: string | undefined): string {
  if (!requested || requested === "latest" || requested === "-") return DEFAULT;
  if (VERSIONS.includes(requested)) return requested;
  const match = VERSIONS.find((v) => v.startsWith(`${requested}.`) || v.startsWith(`${requested}-`));
  if (!match) throw invalid(`Version "${requested}" is unsupported.`);
  return match;
}
