// Offline knowledge of the Kubernetes minor versions each provider has offered, and each provider's matching rule
// (nebari-stages.md §1.10: exact on AWS and Azure, prefix on GCP). `--online` look-ups come with the provider issues.
import type { ProviderName } from "./providers.ts";

/** Nebari's HIGHEST_SUPPORTED_K8S_VERSION: versions above it are filtered out of every provider's list. */
export const HIGHEST_SUPPORTED_MINOR = 34;

const FIRST_MINOR: Record<"aws" | "gcp" | "azure", number> = { aws: 10, gcp: 0, azure: 7 };

/** End of standard support on EKS (AWS's published calendar); older minors ended earlier still. */
const EKS_STANDARD_SUPPORT_ENDS: Record<number, string> = {
  28: "2024-11-26", 29: "2025-03-23", 30: "2025-07-23", 31: "2025-11-26", 32: "2026-03-23", 33: "2026-07-29", 34: "2026-12-02",
};
/** GKE and AKS support roughly the three newest minors; anything older is reported as past end of support. */
const OLDEST_SUPPORTED_MINOR: Record<"gcp" | "azure", number> = { gcp: 32, azure: 32 };

export type CloudProvider = "aws" | "gcp" | "azure";

export interface VersionCheck {
  ok: boolean;
  /** The version Nebari/NIC will deploy (latest known minor when null). */
  resolved?: string;
  message?: string;
  warning?: string;
}

export function knownMinors(provider: CloudProvider): string[] {
  const minors: string[] = [];
  for (let m = FIRST_MINOR[provider]; m <= HIGHEST_SUPPORTED_MINOR; m++) minors.push(`1.${m}`);
  return minors;
}

export function latestMinor(): string {
  return `1.${HIGHEST_SUPPORTED_MINOR}`;
}

export function checkKubernetesVersion(provider: CloudProvider, requested: string | null, today = new Date()): VersionCheck {
  if (requested === null) return { ok: true, resolved: latestMinor() };
  const minors = matchingMinors(provider, requested);
  if (minors.length === 0) {
    const rule = provider === "gcp" ? "a prefix of a GKE version (e.g. 1.33 or 1.33.5-gke.1080000)" : provider === "aws" ? "an EKS minor version such as 1.33" : "an AKS version such as 1.33 or 1.33.2";
    return { ok: false, message: `Invalid kubernetes version "${requested}" provided: it is not ${rule} offered by ${provider.toUpperCase()} up to 1.${HIGHEST_SUPPORTED_MINOR}` };
  }
  const minor = minors[minors.length - 1]!;
  const warning =
    minors.length > 1
      ? `"${requested}" is only a prefix: GKE accepts it, but it matches ${minors.map((m) => `1.${m}`).join(", ")}; write the minor you want`
      : endOfSupportWarning(provider, minor, today);
  return { ok: true, resolved: requested, warning };
}

function matchingMinors(provider: CloudProvider, requested: string): number[] {
  const known = knownMinors(provider);
  if (provider === "aws") return known.includes(requested) ? [minorOf(requested)] : [];
  if (provider === "azure") {
    const m = /^1\.(\d+)(\.\d+)?$/.exec(requested);
    return m && known.includes(`1.${m[1]}`) ? [Number(m[1])] : [];
  }
  // GKE: valid when some offered version starts with the text (Nebari's startswith rule).
  const full = /^1\.(\d+)\.\d+(-gke\.\d+)?$/.exec(requested);
  if (full) return known.includes(`1.${full[1]}`) ? [Number(full[1])] : [];
  return known.filter((v) => `${v}.`.startsWith(requested) || v.startsWith(requested)).map(minorOf);
}

function minorOf(version: string): number {
  return Number(version.split(".")[1]);
}

function endOfSupportWarning(provider: CloudProvider, minor: number, today: Date): string | undefined {
  if (provider === "aws") {
    const ends = EKS_STANDARD_SUPPORT_ENDS[minor];
    if (ends === undefined && minor < 28) return `Kubernetes 1.${minor} is past end of support on EKS; new clusters cannot be created with it`;
    if (ends && new Date(ends) < today) return `Kubernetes 1.${minor} left EKS standard support on ${ends} (extended support costs extra)`;
    return undefined;
  }
  if (minor < OLDEST_SUPPORTED_MINOR[provider]) return `Kubernetes 1.${minor} is past end of support on ${provider === "gcp" ? "GKE" : "AKS"}`;
  return undefined;
}
