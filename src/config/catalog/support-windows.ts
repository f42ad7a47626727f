// When each Kubernetes minor leaves standard and extended support, per provider. After extended support ends, EKS refuses to
// create a cluster of that version or upgrade to it (and upgrades existing clusters itself).
// Sources (transcribed by hand, recorded 2026-12-03; refresh from the same pages):
// - EKS: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, "Amazon EKS Kubernetes release calendar"
//   (extended support: 12 months after the end of standard support, for 1.23 onwards).
// - GKE: cloud.google.com/kubernetes-engine/docs/release-schedule ("End of standard support", "End of extended support";
//   extended support is the Extended channel, 24 months after the minor became available).
// - AKS: learn.microsoft.com/azure/aks/supported-kubernetes-versions, "AKS Kubernetes release calendar" (extended = LTS,
//   offered for some minors only; others have no extended support).

export interface SupportWindow {
  standard: string;
  /** Absent: the provider never offered extended support for this minor. */
  extended?: string;
}

export const SUPPORT_WINDOWS: Record<"aws" | "gcp" | "azure", Record<number, SupportWindow>> = {
  aws: {
    23: { standard: "2023-10-11", extended: "2024-10-11" },
    24: { standard: "2024-01-31", extended: "2025-01-31" },
    25: { standard: "2024-05-01", extended: "2025-05-01" },
    26: { standard: "2024-06-11", extended: "2025-06-11" },
    27: { standard: "2024-07-24", extended: "2025-07-24" },
    28: { standard: "2024-11-26", extended: "2025-11-26" },
    29: { standard: "2025-03-23", extended: "2026-03-23" },
    30: { standard: "2025-07-23", extended: "2026-07-23" },
    31: { standard: "2025-11-26", extended: "2026-11-26" },
    32: { standard: "2026-03-23", extended: "2027-03-23" },
    33: { standard: "2026-07-29", extended: "2027-07-29" },
    34: { standard: "2026-12-02", extended: "2027-12-02" },
  },
  gcp: {
    27: { standard: "2024-06-30", extended: "2025-06-14" },
    28: { standard: "2024-12-04", extended: "2025-08-14" },
    29: { standard: "2025-03-21", extended: "2026-01-25" },
    30: { standard: "2025-09-30", extended: "2026-07-30" },
    31: { standard: "2025-12-22", extended: "2026-10-22" },
    32: { standard: "2026-02-28", extended: "2027-02-11" },
    33: { standard: "2026-06-30", extended: "2027-06-20" },
    34: { standard: "2026-10-31", extended: "2027-09-30" },
  },
  azure: {
    27: { standard: "2024-07-31", extended: "2025-07-31" },
    28: { standard: "2025-03-31" },
    29: { standard: "2025-03-31" },
    30: { standard: "2025-07-31", extended: "2026-07-31" },
    31: { standard: "2025-11-30" },
    32: { standard: "2026-03-31" },
    33: { standard: "2026-06-30", extended: "2027-06-30" },
    34: { standard: "2026-11-30" },
  },
};

/** Before the first minor in a provider's table, every minor is past all support on that provider. */
export const FIRST_TABLED_MINOR = { aws: 23, gcp: 27, azure: 27 } as const;
