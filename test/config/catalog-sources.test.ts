// The offline catalogues (src/config/catalog/*) against their recorded sources: internal consistency, the rules the
// sources state, sample rows copied from those sources, and the AWS region list against the installed SDK's own data.
import { describe, expect, test } from "bun:test";
import { dirname, join } from "node:path";
import { AWS_REGIONS, AZURE_REGIONS, GCP_REGIONS } from "../../src/config/catalog/regions.ts";
import { FIRST_TABLED_MINOR, SUPPORT_WINDOWS, type SupportWindow } from "../../src/config/catalog/support-windows.ts";
import { HIGHEST_SUPPORTED_MINOR } from "../../src/config/kubernetes-versions.ts";

const providers = ["aws", "gcp", "azure"] as const;
const rows = (p: (typeof providers)[number]) => Object.entries(SUPPORT_WINDOWS[p]).map(([m, w]) => [Number(m), w] as [number, SupportWindow]);

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

function plusMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

describe("support windows: consistency", () => {
  test.each(providers)("%s: minors are contiguous from FIRST_TABLED_MINOR and end at the highest minor Nebari deploys", (p) => {
    const minors = rows(p).map(([m]) => m);
    expect(minors[0]).toBe(FIRST_TABLED_MINOR[p]);
    expect(minors).toEqual(minors.map((_, i) => FIRST_TABLED_MINOR[p] + i));
    expect(minors.at(-1)).toBe(HIGHEST_SUPPORTED_MINOR); // see the header of support-windows.ts when Nebari moves
  });

  test.each(providers)("%s: real dates; standard ends before extended; both never go backwards from one minor to the next", (p) => {
    let previous: SupportWindow | undefined;
    for (const [minor, w] of rows(p)) {
      expect(isDay(w.standard), `1.${minor} standard ${w.standard}`).toBe(true);
      if (w.extended) expect(isDay(w.extended) && w.standard < w.extended, `1.${minor} extended ${w.extended}`).toBe(true);
      if (previous) {
        expect(w.standard >= previous.standard, `1.${minor} standard`).toBe(true);
        if (previous.extended) expect(w.extended! >= previous.extended, `1.${minor} extended`).toBe(true);
      }
      previous = w;
    }
  });

  test("extended support exists from the minor the provider introduced it (EKS: all tabled; GKE and AKS: 1.27)", () => {
    const firstExtended = { aws: 22, gcp: 27, azure: 27 };
    for (const p of providers) for (const [minor, w] of rows(p)) expect(w.extended !== undefined, `${p} 1.${minor}`).toBe(minor >= firstExtended[p]);
  });

  test("EKS: 12 months of extended support after standard support (AWS's rule), 1.23 onwards", () => {
    for (const [minor, w] of rows("aws")) if (minor >= 23) expect(w.extended, `1.${minor}`).toBe(plusMonths(w.standard, 12));
  });
});

describe("support windows: rows copied from the recorded sources", () => {
  // endoflife.date @ a70eca3 (2026-08-22): products/amazon-eks.md eol/eoes, products/azure-kubernetes-service.md eol/eoes,
  // products/google-kubernetes-engine.md eol (and releaseDate + 24 months for GKE extended support).
  test.each([
    ["aws", 22, { standard: "2023-06-04", extended: "2024-09-01" }],
    ["aws", 30, { standard: "2025-07-23", extended: "2026-07-23" }],
    ["aws", 34, { standard: "2026-12-02", extended: "2027-12-02" }],
    ["azure", 26, { standard: "2024-04-11" }],
    ["azure", 30, { standard: "2025-08-22", extended: "2026-07-31" }],
    ["azure", 33, { standard: "2026-07-31", extended: "2027-07-31" }],
    ["gcp", 26, { standard: "2024-06-30" }],
    ["gcp", 31, { standard: "2026-01-16", extended: plusMonths("2024-10-25", 24) }],
    ["gcp", 34, { standard: "2026-10-01", extended: plusMonths("2025-09-30", 24) }],
  ] as const)("%s 1.%d", (p, minor, window) => {
    expect(SUPPORT_WINDOWS[p][minor]).toEqual(window);
  });
});

describe("region catalogues", () => {
  test("AWS: exactly the regions of every partition in the installed SDK's partition data", async () => {
    const core = dirname(Bun.resolveSync("@aws-sdk/core/package.json", import.meta.dir));
    const { partitionsInfo } = await import(join(core, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js"));
    const sdk = (partitionsInfo.partitions as { regions: Record<string, unknown> }[])
      .flatMap((p) => Object.keys(p.regions))
      .filter((r) => !r.startsWith("aws-")); // aws-global, aws-cn-global, …: endpoints, not regions
    // A failure after an SDK upgrade means AWS opened a region: add it to src/config/catalog/regions.ts.
    expect(Object.keys(AWS_REGIONS).sort()).toEqual([...new Set(sdk)].sort());
  });

  test("AWS and GCP zone letters are sorted, distinct lower-case letters", () => {
    for (const [region, letters] of [...Object.entries(AWS_REGIONS), ...Object.entries(GCP_REGIONS)]) {
      expect(letters, region).toMatch(/^[a-z]*$/);
      expect([...letters].sort().join(""), region).toBe(letters);
      expect(new Set(letters).size, region).toBe(letters.length);
    }
  });

  test("zone letters are missing only where no list found has them: regions newer than every list, and the isolated partitions", () => {
    const zonesUnknown = Object.entries(AWS_REGIONS).filter(([, letters]) => !letters).map(([region]) => region);
    expect(zonesUnknown.sort()).toEqual(["eu-isoe-west-1", "eusc-de-east-1", "me-west-1", "sa-west-1", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1"]);
    expect(Object.values(GCP_REGIONS).every((letters) => letters.length >= 3)).toBe(true);
  });

  test("GCP: region names have the shape zones are built from (region-letter)", () => {
    for (const region of Object.keys(GCP_REGIONS)) expect(region).toMatch(/^[a-z]+-[a-z]+\d+$/);
  });

  test("GCP rows copied from the regions-and-zones page", () => {
    expect(GCP_REGIONS["us-central1"]).toBe("abcf");
    expect(GCP_REGIONS["us-east1"]).toBe("bcd");
    expect(GCP_REGIONS["europe-west1"]).toBe("bcd");
    expect(GCP_REGIONS["asia-southeast3"]).toBe("abc");
    expect(GCP_REGIONS["europe-west5"]).toBeUndefined();
  });

  test("Azure: each display name canonicalises to its own name (the rule src/config/regions.ts applies)", () => {
    for (const [name, display] of Object.entries(AZURE_REGIONS)) {
      expect(name).toMatch(/^[a-z0-9]+$/);
      expect(display.toLowerCase().replaceAll(/\s+/g, "")).toBe(name);
    }
    expect(AZURE_REGIONS.centralus).toBe("Central US");
    expect(AZURE_REGIONS.eastus2euap).toBeUndefined(); // canary locations are not offered to customers
  });
});
