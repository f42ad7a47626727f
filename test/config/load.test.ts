import { describe, expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig, type LoadOptions } from "../../src/config/load.ts";
import { writeTemp } from "../helpers/files.ts";

type Outcome = { errors: { path: string; text: string; line?: number; column?: number }[]; warnings: { path: string; text: string }[]; loaded?: ReturnType<typeof loadConfig> };

function check(yaml: string, opts: LoadOptions = {}): Outcome {
  const file = writeTemp("nebari-config.yaml", yaml);
  try {
    const loaded = loadConfig(file, { env: {}, ...opts });
    return { errors: [], warnings: loaded.warnings, loaded };
  } catch (err) {
    if (!(err instanceof NicError)) throw err;
    return { errors: err.details.errors as Outcome["errors"], warnings: (err.details.warnings as Outcome["warnings"]) ?? [] };
  }
}

const AWS = (extra = "") => `project_name: demo\nprovider: aws\namazon_web_services:\n  region: us-east-1\n  kubernetes_version: '1.33'\n${extra}`;

describe("top level", () => {
  test("a key close to one NIC reads is an error with a did-you-mean", () => {
    const { errors } = check("projet_name: demo\nproject_name: demo\namazon_web_service:\n  region: x\n");
    expect(errors.map((e) => e.path)).toEqual(["projet_name", "amazon_web_service"]);
    expect(errors[0]!.text).toContain("Did you mean project_name?");
    expect(errors[1]!.text).toContain("Did you mean amazon_web_services?");
  });

  test("plugin and legacy QHub keys are warnings; --strict makes them errors", () => {
    const yaml = "project_name: demo\nmlflow: {enabled: true}\nqhub_version: 0.4.0\ncdsdashboards: {}\n";
    expect(check(yaml).warnings.map((w) => w.path)).toEqual(["mlflow", "qhub_version", "cdsdashboards"]);
    expect(check(yaml, { strict: true }).errors.map((e) => e.path)).toEqual(["mlflow", "qhub_version", "cdsdashboards"]);
  });

  test("later-stage sections are passed through untouched", () => {
    const { errors, warnings } = check("project_name: demo\nsecurity: {authentication: {type: anything}}\njupyterhub: {overrides: {x: 1}}\n");
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  test("namespace must be letters, - and _ only", () => {
    expect(check("project_name: demo\nnamespace: dev1\n").errors.map((e) => e.path)).toEqual(["namespace"]);
    expect(check("project_name: demo\nnamespace: my-ns\n").errors).toEqual([]);
  });

  test("provider is inferred from the one block present, and two blocks without provider are an error", () => {
    expect(check("project_name: demo\nexisting: {kube_context: ctx}\n").loaded!.config.provider).toBe("existing");
    const { errors } = check("project_name: demo\nlocal: {}\nexisting: {kube_context: x}\n");
    expect(errors[0]!.text).toContain("Multiple providers set");
  });

  test("a provider outside the enum names the permitted values", () => {
    expect(check("project_name: demo\nprovider: digitalocean\n").errors[0]!.text).toContain('"local"');
  });

  test("every error is reported at once, each with line and column", () => {
    const { errors } = check("project_name: 1demo\nnamespace: x1\nprovider: aws\namazon_web_services:\n  region: 5\n  kubernetes_version: '9.9'\n");
    expect(errors.map((e) => e.path).sort()).toEqual(["amazon_web_services.region", "namespace", "project_name"]);
    expect(errors.find((e) => e.path === "namespace")).toMatchObject({ line: 2, column: 1 });
    expect(errors.find((e) => e.path === "amazon_web_services.region")).toMatchObject({ line: 5, column: 3 });
  });

  test("NEBARI_SECRET__a__b overrides nested values, and numbers stay numbers", () => {
    const yaml = AWS("  node_groups:\n    general: {instance: m5.large, max_nodes: 1}\n");
    const { loaded } = check(yaml, { env: { NEBARI_SECRET__amazon_web_services__node_groups__general__max_nodes: "4", NEBARI_SECRET__amazon_web_services__region: "eu-west-1" } });
    expect(loaded!.config.amazon_web_services!.node_groups[0]!.max_nodes).toBe(4);
    expect(loaded!.config.amazon_web_services!.region).toBe("eu-west-1");
  });

  test("unexpanded CI placeholders are warned about", () => {
    const yaml = "project_name: demo\nprovider: gcp\ngoogle_cloud_platform:\n  project: ${{ secrets.GCP_PROJECT_ID }}\n  region: us-central1\n  kubernetes_version: '1.31.12-gke.1220000'\n";
    const { errors, warnings } = check(yaml);
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.path)).toContain("google_cloud_platform.project");
  });
});

describe("provider blocks", () => {
  test("AWS defaults: three node groups, default taints on all but general, efs storage, escaped cluster name", () => {
    const { loaded } = check(AWS().replace("demo", "awsdemo"));
    const c = loaded!.config;
    expect(c.cluster_name).toBe("aawsdemo-dev");
    expect(c.storage.type).toBe("efs");
    expect(c.amazon_web_services!.node_groups.map((g) => [g.name, g.instance, g.min_nodes, g.max_nodes, g.taints.length])).toEqual([
      ["general", "m5.2xlarge", 1, 1, 0],
      ["user", "m5.xlarge", 0, 5, 1],
      ["worker", "m5.xlarge", 0, 5, 1],
    ]);
  });

  test("node_groups replace the defaults; explicit taints: [] keeps none; string taints are parsed", () => {
    const { loaded } = check(AWS("  node_groups:\n    gpu:\n      instance: g4dn.xlarge\n      taints: ['nvidia.com/gpu=present:NoSchedule', 'foo:NoExecute']\n    user:\n      instance: m5.large\n      taints: []\n"));
    const groups = loaded!.config.amazon_web_services!.node_groups;
    expect(groups.map((g) => g.name)).toEqual(["gpu", "user"]);
    expect(groups[0]!.taints).toEqual([{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }, { key: "foo", value: null, effect: "NoExecute" }]);
    expect(groups[1]!.taints).toEqual([]);
  });

  test("a bad taint string is an error naming it", () => {
    expect(check(AWS("  node_groups:\n    general: {instance: m5.large, taints: ['bad taint']}\n")).errors[0]!.text).toContain("Invalid taint string");
  });

  test("unknown node-group keys are errors with a did-you-mean; launch_template and ami_type have their own reasons", () => {
    const { errors } = check(AWS("  node_groups:\n    general: {instance: m5.large, max_node: 3, launch_template: {}, ami_type: AL2_x86_64}\n"));
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.text]));
    expect(byPath["amazon_web_services.node_groups.general.max_node"]).toContain("Did you mean max_nodes?");
    expect(byPath["amazon_web_services.node_groups.general.launch_template"]).toContain("currently unavailable");
    expect(byPath["amazon_web_services.node_groups.general.ami_type"]).toContain("derives it from `gpu`");
  });

  test("aliases are accepted with a warning naming the canonical key; alias plus canonical is an error", () => {
    const ok = check(AWS("  node_groups:\n    general: {instance_type: m5.large, min_size: 1, max_size: 3}\n"));
    expect(ok.loaded!.config.amazon_web_services!.node_groups[0]).toMatchObject({ instance: "m5.large", min_nodes: 1, max_nodes: 3 });
    expect(ok.warnings.map((w) => w.text).join("\n")).toContain("canonical Nebari key is min_nodes");
    const both = check(AWS("  node_groups:\n    general: {instance: a, instance_type: b}\n"));
    expect(both.errors[0]!.text).toContain("alias of instance");
  });

  test("AWS kubernetes_version must be present, exact, and at most Nebari's highest supported", () => {
    expect(check("project_name: demo\namazon_web_services: {region: us-east-1}\n").errors[0]!.path).toBe("amazon_web_services.kubernetes_version");
    expect(check(AWS().replace("'1.33'", "'1.33.1'")).errors[0]!.text).toContain("Invalid kubernetes version");
    expect(check(AWS().replace("'1.33'", "'1.35'")).errors).toHaveLength(1);
    expect(check(AWS().replace("'1.33'", "null")).loaded!.config.amazon_web_services!.kubernetes_version).toBe("1.34");
  });

  test("an unquoted 1.20 is read as written, with a warning that Nebari reads 1.2", () => {
    const { loaded, warnings } = check(AWS().replace("'1.33'", "1.20"));
    expect(loaded!.config.amazon_web_services!.kubernetes_version).toBe("1.20");
    expect(warnings.map((w) => w.text).join("\n")).toContain('"1.2"');
  });

  test("GKE versions match by prefix, full versions included", () => {
    const gcp = (v: string) => `project_name: demo\ngoogle_cloud_platform:\n  project: p\n  region: us-central1\n  kubernetes_version: ${v}\n`;
    expect(check(gcp("'1.31.12-gke.1220000'")).errors).toEqual([]);
    expect(check(gcp("1.30")).errors).toEqual([]);
    expect(check(gcp("'2.1'")).errors).toHaveLength(1);
  });

  test("GCP master_authorized_networks_config is one {cidr_block, display_name}, as Nebari's schema accepts", () => {
    const base = "project_name: demo\ngoogle_cloud_platform:\n  project: p\n  region: r\n  kubernetes_version: '1.33'\n";
    expect(check(`${base}  master_authorized_networks_config: {cidr_block: 10.0.0.0/8, display_name: office}\n`).errors).toEqual([]);
    expect(check(`${base}  master_authorized_networks_config: {cidr_blocks: []}\n`).errors.length).toBeGreaterThan(0);
  });

  test("storage: efs only on AWS, cephfs not on local", () => {
    expect(check("project_name: demo\nstorage: {type: efs}\n").errors[0]!.path).toBe("storage.type");
    expect(check("project_name: demo\nstorage: {type: cephfs}\n").errors[0]!.path).toBe("storage.type");
    expect(check(`${AWS()}storage: {type: nfs}\n`).loaded!.config.storage.type).toBe("nfs");
  });

  test("Azure: escaped names, resource group rules, tag rules", () => {
    const az = (extra = "") => `project_name: my-proj\nprovider: azure\nazure:\n  region: Central US\n  kubernetes_version: '1.33'\n  storage_account_postfix: abcd\n${extra}`;
    expect(check(az()).loaded!.config.cluster_name).toBe("mya2Dproj-dev");
    expect(check(az("  resource_group_name: 'bad name.'\n")).errors[0]!.path).toBe("azure.resource_group_name");
    expect(check(az("  tags: {'a/b': x}\n")).errors[0]!.path).toBe("azure.tags.a/b");
  });

  test("external_container_reg needs all four fields when enabled", () => {
    const { errors } = check("project_name: demo\nexternal_container_reg: {enabled: true, access_key_id: AKIA}\n");
    expect(errors.map((e) => e.path).sort()).toEqual(["external_container_reg.extcr_account", "external_container_reg.extcr_region", "external_container_reg.secret_access_key"]);
  });

  test("existing: a null kube_context is accepted", () => {
    expect(check("project_name: demo\nprovider: existing\nexisting:\n  kube_context:\n").errors).toEqual([]);
  });

  test("terraform_state type is an enum", () => {
    expect(check("project_name: demo\nterraform_state: {type: s3}\n").errors[0]!.path).toBe("terraform_state.type");
  });
});
