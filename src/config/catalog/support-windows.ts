// When each Kubernetes minor leaves standard and extended support, per provider. After extended support ends, EKS refuses to
// create a cluster of that version or upgrade to it (and upgrades existing clusters itself).
// Sources, transcribed by hand on 2026-12-03 (this machine has no network; refresh from the same pages):
// - EKS: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, "Amazon EKS Kubernetes release calendar"
//   (standard support 14 months from release, then 12 months of extended support). CHECKED: 1.29-1.34 agree date for date
//   with endoflife.date/amazon-eks (its January 2026 copy, found with the project's search tool), and 1.23-1.28 follow
//   the calendar's rule; the sandbox's DescribeClusterVersions answers from this table.
// - GKE: cloud.google.com/kubernetes-engine/docs/release-schedule. NOT CHECKED: the dates below were typed from memory;
//   the stored copies of the page found offline stop at 1.27 and only confirm the rule (about 14 months of standard
//   support and about 10 more in the Extended channel, 24 months after Regular availability). GKE upgrades clusters past
//   these dates itself, so they only ever make warnings.
// - AKS: learn.microsoft.com/azure/aks/supported-kubernetes-versions, "AKS Kubernetes release calendar" (extended = LTS,
//   Premium tier). PARTLY CHECKED: the LTS page (learn.microsoft.com/azure/aks/long-term-support) names 1.27 and 1.30 as
//   the LTS minors; 1.33's LTS row and every end date were typed from memory. AKS dates only ever make warnings.
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
