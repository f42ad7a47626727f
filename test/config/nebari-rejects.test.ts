// What Nebari rejects: ci_cd, regions and zones, node counts, Azure's storage_account_postfix, and --strict parity.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig, type LoadOptions } from "../../src/config/load.ts";
import { writeTemp } from "../helpers/files.ts";

type Found = { path: string; text: string; line?: number; found?: string };
function check(yaml: string, opts: LoadOptions = {}) {
  try {
    const loaded = loadConfig(writeTemp("nebari-config.yaml", yaml), { env: {}, ...opts });
    return { errors: [] as Found[], warnings: loaded.warnings as Found[], loaded };
  } catch (err) {
    if (!(err instanceof NicError)) throw err;
    return { errors: err.details.errors as Found[], warnings: err.details.warnings as Found[], loaded: undefined };
  }
}
const aws = (block: string) => `project_name: demo\nprovider: aws\namazon_web_services:\n  kubernetes_version: '1.33'\n${block}`;
const gcp = (block: string) => `project_name: demo\nprovider: gcp\ngoogle_cloud_platform:\n  project: p\n  kubernetes_version: '1.33'\n${block}`;
const azure = (block: string) => `project_name: demo\nprovider: azure\nazure:\n  kubernetes_version: '1.33'\n${block}`;

describe("ci_cd (Nebari's CICD model)", () => {
  test("the QHub bare-string form is an error with a hint", () => {
    const { errors } = check("project_name: demo\nci_cd: gitlab-ci\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: "ci_cd", line: 2 });
    expect(errors[0]!.text).toContain("QHub-era form");
    expect(errors[0]!.text).toContain("ci_cd: {type: gitlab-ci, branch: main}");
  });

  test("type, branch, scripts and unknown keys are checked; a valid block passes", () => {
    const { errors } = check("project_name: demo\nci_cd:\n  type: jenkins\n  branch: 3\n  colour: red\n  before_script: [a, {b: 1}, 3]\n");
    expect(errors.map((e) => e.path).sort()).toEqual(["ci_cd.before_script[2]", "ci_cd.branch", "ci_cd.colour", "ci_cd.type"]);
    expect(check("project_name: demo\nci_cd: {type: github-actions, branch: main, commit_render: true, after_script: [echo done]}\n").errors).toEqual([]);
  });
});

describe("regions and zones (offline catalogs)", () => {
  test("a GCP zone given as the region: did you mean the region", () => {
    const [e] = check(gcp("  region: us-central1-a\n")).errors;
    expect(e).toMatchObject({ path: "google_cloud_platform.region", line: 6 });
    expect(e!.text).toContain("is a zone, not a region. Did you mean us-central1?");
  });

  test("an AWS zone given as the region, and zones of another region", () => {
    expect(check(aws("  region: us-west-2b\n")).errors[0]!.text).toContain("Did you mean us-west-2?");
    for (const region of ["us-gov-west-1", "us-isob-east-1", "eusc-de-east-1"]) {
      expect(check(aws(`  region: ${region}a\n`)).errors[0]!.text).toContain(`Did you mean ${region}?`);
    }
    const { errors } = check(aws("  region: us-east-1\n  availability_zones: [us-east-1a, us-west-2a]\n"));
    expect(errors.map((e) => e.path)).toEqual(["amazon_web_services.availability_zones[1]"]);
    expect(errors[0]!.text).toContain("us-east-1 offers us-east-1a");
  });

  test("an unknown region is a warning offline, with a did-you-mean", () => {
    const { errors, warnings } = check(aws("  region: us-east-7\n"));
    expect(errors).toEqual([]);
    expect(warnings.find((w) => w.path === "amazon_web_services.region")!.text).toContain("--online");
    expect(check(gcp("  region: europe-wset1\n")).warnings.find((w) => w.path === "google_cloud_platform.region")!.text).toContain("Did you mean europe-west1?");
  });

  test("an Azure display name becomes the canonical name", () => {
    const { loaded } = check(azure("  region: Central US\n  storage_account_postfix: ab12\n"));
    expect(loaded!.config.azure!.region).toBe("centralus");
    expect(loaded!.notes.find((n) => n.path === "azure.region")!.message).toContain("display name of centralus");
  });
});

describe("node counts", () => {
  test("beyond 2^53 is an error showing the number as written, never rounded", () => {
    const [e] = check(aws("  region: us-east-1\n  node_groups:\n    general: {instance: m5.large, max_nodes: 99999999999999999999999999}\n")).errors;
    expect(e!.path).toBe("amazon_web_services.node_groups.general.max_nodes");
    expect(e!.found).toBe("99999999999999999999999999");
    expect(e!.text).not.toContain("e+");
  });

  test("beyond the provider's limit, and min_nodes above max_nodes, are errors", () => {
    expect(check(aws("  region: us-east-1\n  node_groups:\n    general: {instance: m5.large, max_nodes: 451}\n")).errors[0]!.text).toContain("450");
    expect(check(gcp("  region: us-central1\n  node_groups:\n    general: {instance: e2-standard-4, max_nodes: 1000}\n")).errors).toEqual([]);
    const [e] = check(aws("  region: us-east-1\n  node_groups:\n    general: {instance: m5.large, min_nodes: 5, max_nodes: 2}\n")).errors;
    expect(e!.path).toBe("amazon_web_services.node_groups.general.min_nodes");
    expect(e!.text).toContain("5 > 2");
  });
});

test("other integers within the cloud's limits: EKS disk size, AKS max_pods", () => {
  expect(check(aws("  region: us-east-1\n  node_groups:\n    general: {instance: m5.large, disk_size: 20000}\n")).errors[0]!.text).toContain("16384 GiB");
  expect(check(azure("  region: eastus\n  storage_account_postfix: ab12\n  max_pods: 99999999999999999999\n")).errors[0]).toMatchObject({ path: "azure.max_pods", found: "99999999999999999999" });
});

describe("Azure storage_account_postfix and --strict", () => {
  test("missing: a warning naming the design document's example; an error under --strict", () => {
    const yaml = azure("  region: eastus\n");
    expect(check(yaml).warnings.find((w) => w.path === "azure.storage_account_postfix")!.text).toContain("design document's Azure example");
    expect(check(yaml, { strict: true }).errors.map((e) => e.path)).toEqual(["azure.storage_account_postfix"]);
    expect(check(azure("  region: eastus\n  storage_account_postfix: AB-1\n")).errors.map((e) => e.path)).toEqual(["azure.storage_account_postfix"]);
  });

  test("--strict: aliases, unquoted versions and NIC extensions are errors, as in Nebari", () => {
    const yaml = aws("  region: us-east-1\n  node_groups:\n    general: {instance_type: m5.large, disk_size: 100}\n");
    expect(check(yaml).errors).toEqual([]);
    expect(check(yaml, { strict: true }).errors.map((e) => e.path)).toEqual([
      "amazon_web_services.node_groups.general.instance_type",
      "amazon_web_services.node_groups.general.disk_size",
    ]);
  });

  const corpus = join(import.meta.dir, "../../fixtures/conformance/nebari-configs");
  for (const file of readdirSync(corpus).filter((f) => /\.happy.*\.yaml$/.test(f))) {
    test(`${file}: valid under --strict too (Nebari accepts it)`, () => {
      expect(check(readFileSync(join(corpus, file), "utf8"), { strict: true }).errors).toEqual([]);
    });
  }
});
