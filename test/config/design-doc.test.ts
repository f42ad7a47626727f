// The design document's configuration examples (§5.1, §7.2, §7.5, §14.3), kept verbatim in fixtures/configs/design-doc.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { writeTemp } from "../helpers/files.ts";

const DIR = join(import.meta.dir, "../../fixtures/configs/design-doc");
const VALID = readdirSync(DIR).filter((f) => f !== "s14.3-full.yaml");

describe("design document examples", () => {
  for (const file of VALID) {
    test(`${file} validates, and every alias it uses is named with its canonical key`, () => {
      const loaded = loadConfig(join(DIR, file), { env: {} });
      for (const w of loaded.warnings.filter((w) => w.text.includes("design document's spelling"))) expect(w.text).toMatch(/canonical Nebari key is \w+/);
    });
  }

  for (const file of VALID) {
    test(`${file} under --strict: every error is one Nebari itself would raise (spellings, extensions, missing keys)`, () => {
      try {
        loadConfig(join(DIR, file), { env: {}, strict: true });
      } catch (err) {
        for (const e of (err as NicError).details.errors as { text: string }[]) expect(e.text).toMatch(/Nebari rejects|--strict/);
      }
    });
  }

  test("§7.2 under --strict fails on the design document's spellings, as Nebari does", () => {
    expect(() => loadConfig(join(DIR, "s7.2-structure.yaml"), { env: {}, strict: true })).toThrow("not a valid Nebari configuration");
  });

  test("§7.5 AWS: storage {type: ebs, size: 100} means nfs with a 100Gi shared file system, and disk_size is honoured", () => {
    const { config, notes } = loadConfig(join(DIR, "s7.5-aws.yaml"), { env: {} });
    expect(config.storage).toMatchObject({ type: "nfs", shared_filesystem: "100Gi" });
    expect(config.amazon_web_services!.vpc_cidr_block).toBe("10.0.0.0/16");
    expect(config.amazon_web_services!.node_groups.map((g) => g.disk_size)).toEqual([100, 200]);
    expect(notes.map((n) => n.path)).toContain("amazon_web_services.node_groups.general.disk_size");
  });

  test("§7.5 GCP and Azure: project_id, zone, resource_group and node_pools map onto Nebari's keys", () => {
    const gcp = loadConfig(join(DIR, "s7.5-gcp.yaml"), { env: {} }).config.google_cloud_platform!;
    expect([gcp.project, gcp.availability_zones, gcp.node_groups.map((g) => g.instance)]).toEqual(["my-project", ["us-central1-a"], ["n1-standard-4", "n1-standard-8"]]);
    const azure = loadConfig(join(DIR, "s7.5-azure.yaml"), { env: {} }).config.azure!;
    expect([azure.resource_group_name, azure.node_groups.map((g) => g.max_nodes)]).toEqual(["my-nebari-rg", [5, 10]]);
  });

  test("§7.5 local: {role: general} selectors become {key: role, value: general}", () => {
    const local = loadConfig(join(DIR, "s7.5-local.yaml"), { env: {} }).config.local!;
    expect(local.node_selectors.general).toEqual({ key: "role", value: "general" });
  });

  // Nebari wins where the design document disagrees with it: project_name is at most 16 characters (cloud name limits),
  // and "my-production-nebari" has 20. The example is otherwise valid, as the renamed copy shows.
  test("§14.3 full fails only on Nebari's project_name length rule", () => {
    const file = join(DIR, "s14.3-full.yaml");
    let error: NicError | undefined;
    try {
      loadConfig(file, { env: {} });
    } catch (err) {
      error = err as NicError;
    }
    expect((error!.details.errors as { path: string }[]).map((e) => e.path)).toEqual(["project_name"]);
    const renamed = writeTemp("full.yaml", readFileSync(file, "utf8").replace("my-production-nebari", "my-prod-nebari"));
    const { config } = loadConfig(renamed, { env: {} });
    expect(config.amazon_web_services!.node_groups.map((g) => [g.name, g.labels.role, g.taints.length])).toEqual([
      ["general", "general", 1], ["user", "user", 1], ["worker", "worker", 1],
    ]);
  });
});
