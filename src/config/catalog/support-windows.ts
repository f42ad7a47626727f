// When each Kubernetes minor leaves standard and extended support, per provider. After extended support ends, EKS refuses to
// create a cluster of that version or upgrade to it (and upgrades existing clusters itself).
// This machine has no network: each table was checked row by row against a stored copy of its source (found with the
// project's search tools, 2026-12-03). Refresh from the same sources; test/config/catalog-sources.test.ts pins sample rows.
//
// - EKS: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html ("End of standard support", "End of extended
//   support"), as transcribed by endoflife.date: github.com/endoflife-date/endoflife.date products/amazon-eks.md at
//   a70eca337600e7d721dc48112c271f98661d208b (2026-08-22), fields eol / eoes. CHECKED: every row, 1.22-1.34.
// - GKE standard: cloud.google.com/kubernetes-engine/docs/release-schedule ("End of standard support"), via the same
//   endoflife.date commit, products/google-kubernetes-engine.md, field eol. CHECKED: every row, 1.26-1.34.
//   GKE extended: DERIVED, not transcribed. The stored copies of the release schedule found offline do not reach its
//   "End of extended support" column, so each date is the Regular-channel availability (same file, field releaseDate) plus
//   24 months, the rule on cloud.google.com/kubernetes-engine/versioning ("up to a total of 24 months ... after the version
//   has been made available ... in the Regular channel"). Google's own dates may differ by days. Extended support began
//   with 1.27 (cloud.google.com/blog, "Introducing GKE extended support", 2024-07-17), so 1.26 has none. GKE upgrades
//   clusters past these dates itself, so they only ever make warnings.
// - AKS: learn.microsoft.com/azure/aks/supported-kubernetes-versions ("End of life", "LTS End of life"; LTS is AKS's
//   extended support, Premium tier), scraped by endoflife.date into products/azure-kubernetes-service.md at the same
//   commit, fields eol / eoes. CHECKED: every row, 1.26-1.34; 1.26 is the last minor without LTS. AKS dates only ever
//   make warnings.
// Rows stop at Nebari's HIGHEST_SUPPORTED_MINOR (1.34, src/config/kubernetes-versions.ts): NIC never asks about a newer
// minor, and the sandbox's EKS answers DescribeClusterVersions from this table. When Nebari moves, the same sources give
// 1.35: EKS 2027-03-27 / 2028-03-27, GKE 2027-04-11 / 2028-02-11 (derived), AKS 2027-03-31 / 2028-03-31;
// 1.36: EKS 2027-08-02 / 2028-08-02, GKE 2027-08-09 / 2028-06-09 (derived), AKS 2027-06-30 / 2028-06-30.
export interface SupportWindow {
  standard: string;
  /** Absent: the provider never offered extended support for this minor. */
  extended?: string;
}

export const SUPPORT_WINDOWS: Record<"aws" | "gcp" | "azure", Record<number, SupportWindow>> = {
  aws: {
    22: { standard: "2023-06-04", extended: "2024-09-01" },
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
    26: { standard: "2024-06-30" },
    27: { standard: "2024-10-01", extended: "2025-06-15" },
    28: { standard: "2025-02-04", extended: "2025-12-04" },
    29: { standard: "2025-04-12", extended: "2026-01-26" },
    30: { standard: "2025-09-30", extended: "2026-07-31" },
    31: { standard: "2026-01-16", extended: "2026-10-25" },
    32: { standard: "2026-04-11", extended: "2027-02-11" },
    33: { standard: "2026-08-03", extended: "2027-06-03" },
    34: { standard: "2026-10-01", extended: "2027-09-30" },
  },
  azure: {
    26: { standard: "2024-04-11" },
    27: { standard: "2024-07-31", extended: "2025-07-31" },
    28: { standard: "2025-01-31", extended: "2026-02-28" },
    29: { standard: "2025-03-31", extended: "2026-04-30" },
    30: { standard: "2025-08-22", extended: "2026-07-31" },
    31: { standard: "2025-11-01", extended: "2026-11-30" },
    32: { standard: "2026-03-31", extended: "2027-03-31" },
    33: { standard: "2026-07-31", extended: "2027-07-31" },
    34: { standard: "2026-11-30", extended: "2027-11-30" },
  },
};

/** Before the first minor in a provider's table, every minor is past all support on that provider. */
export const FIRST_TABLED_MINOR = { aws: 22, gcp: 26, azure: 26 } as const;
