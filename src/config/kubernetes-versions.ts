// Offline knowledge of the Kubernetes minor versions each provider has offered, and each provider's matching rule
// (nebari-stages.md §1.10: exact on AWS and Azure, prefix on GCP). `--online` look-ups come with the provider issues.
import { FIRST_TABLED_MINOR, SUPPORT_WINDOWS } from "./catalog/support-windows.ts";

/** Nebari's HIGHEST_SUPPORTED_K8S_VERSION: versions above it are filtered out of every provider's list. */
export const HIGHEST_SUPPORTED_MINOR = 34;

const FIRST_MINOR: Record<"aws" | "gcp" | "azure", number> = { aws: 10, gcp: 0, azure: 7 };

export type CloudProvider = "aws" | "gcp" | "azure";

export interface VersionCheck {
  ok: boolean;
  /** The version Nebari/NIC will deploy (latest known minor when null). */
  resolved?: string;
  message?: string;
  warning?: string;
  /** Past extended support: the cloud refuses to create or upgrade such a cluster (an error for a new deployment). */
  unsupported?: string;
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
  if (minors.length > 1) {
    return { ok: true, resolved: requested, warning: `"${requested}" is only a prefix: GKE accepts it, but it matches ${minors.map((m) => `1.${m}`).join(", ")}; write the minor you want` };
  }
  return { ok: true, resolved: requested, ...supportStatus(provider, minor, today) };
}

const SERVICE = { aws: "EKS", gcp: "GKE", azure: "AKS" };

/** Where a minor stands in the provider's support calendar (catalog/support-windows.ts) on `today`. */
export function supportStatus(provider: CloudProvider, minor: number, today: Date): Pick<VersionCheck, "warning" | "unsupported"> {
  const window = SUPPORT_WINDOWS[provider][minor];
  const service = SERVICE[provider];
  if (!window) {
    return minor < FIRST_TABLED_MINOR[provider] ? { unsupported: `Kubernetes 1.${minor} is past the end of all support on ${service}` } : {};
  }
  const day = today.toISOString().slice(0, 10);
  const end = window.extended ?? window.standard;
  if (end < day) {
    const what = window.extended ? `extended support on ${service} ended on ${window.extended}` : `support on ${service} ended on ${window.standard} (no extended support for this minor)`;
    return { unsupported: `Kubernetes 1.${minor}: ${what}` };
  }
  if (window.standard < day) return { warning: `Kubernetes 1.${minor} left ${service} standard support on ${window.standard}; extended support (billed extra) ends ${window.extended}` };
  return {};
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
