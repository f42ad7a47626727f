// Verify, then write, against an in-memory cloud: found / missing / not wanted / not in Terraform, the drift the next
// deploy would fix, the state and outputs.json an import writes, and what it refuses (an existing state, no cluster).
import { beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig, type LoadedConfig } from "../../src/config/load.ts";
import type { DeployProvider } from "../../src/deploy/provider.ts";
import type { Actual, Resource, ResourceKind } from "../../src/engine/types.ts";
import { adoptImported } from "../../src/kubernetes/adopt.ts";
import { LocalBackend } from "../../src/state/backends/local.ts";
import { readState } from "../../src/state/store.ts";
import { checkImport, writeImport, type ImportInputs } from "../../src/terraform/import.ts";
import { isReady, validationDocument } from "../../src/terraform/report.ts";
import { parseTerraformState, type LoadedTerraformState } from "../../src/terraform/tfstate.ts";
import { tempDir } from "../helpers/files.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/tfstate");
const tfstate = (name: string): LoadedTerraformState => {
  const text = readFileSync(join(FIXTURES, name), "utf8");
  return { location: name, bytes: text.length, state: parseTerraformState(text, name) };
};

/**
 * The cloud: live resources by id. observe() finds a tracked resource by its id, else (as the real kinds do) one by
 * Nebari's name: `lookalikes` by address, then `cloud` by address.
 */
let cloud: Map<string, Actual>;
let lookalikes: Map<string, Actual>;
let clusterUp: boolean;

function kind(name: string): ResourceKind {
  const fail = () => Promise.reject(new Error("import must not change anything"));
  return {
    kind: name,
    timeoutMs: 1000,
    async observe(batch) {
      const out = new Map<string, Actual>();
      for (const l of batch) {
        const live = (l.tracked && cloud.get(l.tracked.id)) || lookalikes.get(l.address) || cloud.get(l.address);
        if (live) out.set(l.address, live);
      }
      return out;
    },
    create: fail,
    update: fail,
    delete: fail,
  };
}

const desired: Resource[] = [
  { address: "aws/vpc/main", kind: "aws/vpc", attributes: { cidr_block: "10.10.0.0/16" } },
  { address: "aws/subnet/0", kind: "aws/subnet", attributes: { vpc_id: { $ref: "aws/vpc/main", field: "id" } } },
  { address: "aws/subnet/1", kind: "aws/subnet", attributes: { vpc_id: { $ref: "aws/vpc/main", field: "id" } } },
  { address: "aws/eks_cluster/main", kind: "aws/eks_cluster", attributes: { name: "old-dev", version: "1.29" } },
  { address: "aws/eks_node_group/general", kind: "aws/eks_node_group", attributes: { max_size: 1 } },
  { address: "aws/autoscaling_group_tags/general", kind: "aws/autoscaling_group_tags", attributes: { node_group_name: "general" } },
];

const provider: DeployProvider = {
  desired: () => desired,
  kinds: () => [...new Set(desired.map((r) => r.kind))].map(kind),
  clusterOutputs: (_config, actual) => ({
    cluster: { name: "old-dev", endpoint: actual.get("aws/eks_cluster/main") ? "https://old.example" : "", ca_certificate_pem: "PEM", version: "1.29", oidc_issuer_url: "https://oidc", arn: "arn:cluster" },
    networking: { vpc_id: actual.get("aws/vpc/main")?.id ?? null, subnet_ids: [], security_group_id: null },
    node_groups: [],
    storage: { type: "efs", nfs_endpoint: null, efs_id: null },
    iam: { oidc_provider_arn: "", cluster_autoscaler_role_arn: "", cluster_role_arn: "", node_role_arn: "" },
  }),
  connection: async (_c, cluster) => {
    if (!clusterUp) throw new Error(`connect ECONNREFUSED ${cluster.cluster.endpoint}`);
    return { endpoint: cluster.cluster.endpoint, auth: { token: async () => "t" } };
  },
  token: async () => "fresh-token",
  tokenArgs: () => ["kubeconfig", "token"],
};

const kubernetes = {
  desired: (): Resource[] => [{ address: "k8s/namespace/_cluster/dev", kind: "k8s/namespace", attributes: { metadata: { name: "dev" } } }],
  kinds: () => [kind("k8s/namespace")],
  adopt: adoptImported,
};

let dir: string;
let loaded: LoadedConfig;
const inputs = (): ImportInputs => ({ loaded, stage02: tfstate("aws-2023-era.tfstate.json"), stage03: tfstate("stage03-aws.tfstate.json"), provider, kubernetes, env: {}, signal: new AbortController().signal });
const writeOptions = (force = false) => ({ paths: { outputs: join(dir, "outputs.json"), kubeconfig: join(dir, "kubeconfig") }, env: {}, lockTimeoutMs: 0, force });

beforeEach(() => {
  dir = tempDir("nic-import-");
  writeFileSync(join(dir, "nebari-config.yaml"), readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml"), "utf8"));
  loaded = loadConfig(join(dir, "nebari-config.yaml"), { env: {} });
  clusterUp = true;
  lookalikes = new Map();
  cloud = new Map<string, Actual>([
    ["vpc-0old", { id: "vpc-0old", attributes: { cidr_block: "10.10.0.0/16" } }],
    ["subnet-0a", { id: "subnet-0a", attributes: { vpc_id: "vpc-0old" } }],
    // subnet-0b is gone from the cloud.
    ["old-dev", { id: "old-dev", attributes: { name: "old-dev", version: "1.29" } }],
    ["old-dev/general", { id: "old-dev/general", attributes: { max_size: 3 } }],
    ["aws/autoscaling_group_tags/general", { id: "asg-general", attributes: { node_group_name: "general" } }],
    ["dev/ns", { id: "uid-1", attributes: { metadata: { name: "dev" } } }],
    ["dev", { id: "uid-1", attributes: { metadata: { name: "dev" } } }],
  ]);
});

describe("checkImport", () => {
  test("classifies every resource and reports the drift the next deploy would fix", async () => {
    const check = await checkImport(inputs());
    expect(check.cloud.found.map((f) => f.address).sort()).toEqual(["aws/eks_cluster/main", "aws/eks_node_group/general", "aws/subnet/0", "aws/vpc/main"]);
    expect(check.cloud.missing.map((m) => m.address)).toEqual(["aws/subnet/1"]);
    expect(check.cloud.notInTerraform).toEqual([{ address: "aws/autoscaling_group_tags/general", exists: true, adopted: true, id: "asg-general" }]);
    expect(check.cloud.notWanted.map((m) => m.address)).toContain("aws/efs_file_system/main");
    const changes = check.cloud.plan.entries.filter((e) => e.action !== "no-op").map((e) => `${e.action} ${e.address}`);
    expect(changes).toEqual(["create aws/subnet/1", "update aws/eks_node_group/general"]);
    expect(check.kubernetes?.found.map((f) => f.address)).toEqual(["k8s/namespace/_cluster/dev"]);
    expect(check.kubernetes?.notWanted.length).toBeGreaterThan(10);
    expect(isReady(check)).toBe(false);

    const report = validationDocument(loaded.config, check);
    expect(report.configuration_match.find((c) => c.check === "kubernetes version")).toMatchObject({ ok: false, terraform: "1.29", config: "1.34" });
    expect(report.outputs).toEqual({ from_terraform: ["kubernetes_credentials", "kubeconfig_filename", "nfs_endpoint"], from_nic: ["cluster_autoscaler_role_arn"], ignored: ["custom_output"] });
  });

  test("an unreachable cluster is reported, and an import refuses to write without it", async () => {
    clusterUp = false;
    const check = await checkImport(inputs());
    expect(check.cluster).toMatchObject({ reachable: false, error: expect.stringContaining("ECONNREFUSED") });
    expect(check.kubernetes).toBeUndefined();
    const backend = new LocalBackend(join(dir, "state.json"));
    await expect(writeImport(inputs(), check, backend, writeOptions())).rejects.toMatchObject({ code: "IMPORT_UNVERIFIED" });
    expect(existsSync(join(dir, "state.json"))).toBe(false);
    expect(existsSync(join(dir, "outputs.json"))).toBe(false);
  });
});

describe("writeImport", () => {
  test("not ready: writes nothing and names every blocker, with the address history of a missing resource", async () => {
    const check = await checkImport(inputs());
    const backend = new LocalBackend(join(dir, "state.json"));
    const err = (await writeImport(inputs(), check, backend, writeOptions()).catch((e) => e)) as NicError;
    expect(err.code).toBe("IMPORT_NOT_READY");
    expect(err.exitCode).not.toBe(0);
    expect((err.details.blockers as { kind: string; address: string; text: string }[]).map((b) => `${b.kind} ${b.address}`)).toEqual(["missing aws/subnet/1", "change aws/eks_node_group/general"]);
    expect(err.message).toContain("module.network without [0]");
    expect(existsSync(join(dir, "state.json"))).toBe(false);
    expect(existsSync(join(dir, "outputs.json"))).toBe(false);
  });

  test("--force writes the found resources as NIC read them, marked imported, the blockers, and outputs.json from the verified resources", async () => {
    const check = await checkImport(inputs());
    const backend = new LocalBackend(join(dir, "state.json"));
    await writeImport(inputs(), check, backend, writeOptions(true));
    const state = (await readState(backend))!.state;
    expect(Object.keys(state.resources).sort()).toEqual(["aws/autoscaling_group_tags/general", "aws/eks_cluster/main", "aws/eks_node_group/general", "aws/subnet/0", "aws/vpc/main", "k8s/namespace/_cluster/dev"]);
    // Found live but not in Terraform (Nebari's post-deploy tags): adopted, and marked as not imported.
    expect(Object.entries(state.resources).filter(([, r]) => !r.imported_from_terraform).map(([a]) => a)).toEqual(["aws/autoscaling_group_tags/general"]);
    expect(state.resources["aws/eks_node_group/general"]).toMatchObject({ provider_id: "old-dev/general", attributes: { max_size: 3 } });
    expect(state.resources["aws/subnet/0"]!.depends_on).toEqual(["aws/vpc/main"]);
    expect(state.metadata.configuration_hash).toBe(loaded.hash);
    expect(state.metadata.import_blockers!.map((b) => b.kind)).toEqual(["missing", "change"]);

    // Never Terraform's stored values: NIC's kubeconfig, a fresh token, and only what was verified (no EFS here).
    const outputs = JSON.parse(readFileSync(join(dir, "outputs.json"), "utf8"));
    expect(outputs.kubernetes_credentials).toEqual({ value: { host: "https://old.example", cluster_ca_certificate: "PEM", token: "fresh-token" } });
    expect(outputs.kubeconfig_filename).toEqual({ value: join(dir, "kubeconfig") });
    expect(existsSync(join(dir, "kubeconfig"))).toBe(true);
    expect(outputs.nfs_endpoint).toEqual({ value: null });
    expect(outputs.custom_output).toBeUndefined();
    expect(outputs.node_selectors.general).toEqual({ key: "eks.amazonaws.com/nodegroup", value: "general" });
    expect(outputs.cluster_autoscaler_role_arn).toEqual({ value: "" });
  });

  test("never overwrites an existing NIC state", async () => {
    const check = await checkImport(inputs());
    const backend = new LocalBackend(join(dir, "state.json"));
    await writeImport(inputs(), check, backend, writeOptions(true));
    const before = readFileSync(join(dir, "state.json"), "utf8");
    const err = await writeImport(inputs(), check, backend, writeOptions(true)).catch((e) => e);
    expect(err).toBeInstanceOf(NicError);
    expect((err as NicError).code).toBe("STATE_CONFLICT");
    expect(readFileSync(join(dir, "state.json"), "utf8")).toBe(before);
  });
});

describe("identity, never look-alikes", () => {
  test("a resource found under Terraform's name with another id is a conflict naming both ids, never adopted", async () => {
    cloud.delete("vpc-0old");
    lookalikes.set("aws/vpc/main", { id: "vpc-0other", attributes: { cidr_block: "10.10.0.0/16" } });
    const check = await checkImport(inputs());
    expect(check.cloud.conflicts.map((c) => [c.address, c.id, c.found.id])).toEqual([["aws/vpc/main", "vpc-0old", "vpc-0other"]]);
    expect(check.cloud.found.map((f) => f.address)).not.toContain("aws/vpc/main");
    // Planned as absent: nothing is built on the look-alike.
    expect(check.cloud.plan.entries.find((e) => e.address === "aws/vpc/main")?.action).toBe("create");
    const doc = validationDocument(loaded.config, check);
    expect(doc.blockers.find((b) => b.address === "aws/vpc/main")).toMatchObject({ kind: "conflict", text: expect.stringMatching(/vpc-0old.*vpc-0other/) });

    const backend = new LocalBackend(join(dir, "state.json"));
    expect(await writeImport(inputs(), check, backend, writeOptions()).catch((e) => e.code)).toBe("IMPORT_NOT_READY");
    expect(existsSync(join(dir, "state.json"))).toBe(false);
  });

  test("--adopt-conflicts adopts the look-alike, and says so", async () => {
    cloud.delete("vpc-0old");
    lookalikes.set("aws/vpc/main", { id: "vpc-0other", attributes: { cidr_block: "10.10.0.0/16" } });
    const check = await checkImport({ ...inputs(), adoptConflicts: true });
    expect(check.cloud.conflicts.map((c) => [c.found.id, c.adopted])).toEqual([["vpc-0other", true]]);
    expect(check.cloud.found.find((f) => f.address === "aws/vpc/main")?.actual.id).toBe("vpc-0other");
    expect(validationDocument(loaded.config, check).blockers.map((b) => b.address)).not.toContain("aws/vpc/main");
  });

  test("a resource the config wants, absent from Terraform but found by name, is not adopted (the ASG tags Nebari sets outside Terraform are)", async () => {
    const stage02 = tfstate("aws-2023-era.tfstate.json");
    const trimmed = { ...stage02, state: { ...stage02.state, resources: stage02.state.resources.filter((r) => r.type !== "aws_vpc") } };
    lookalikes.set("aws/vpc/main", cloud.get("vpc-0old")!);
    const check = await checkImport({ ...inputs(), stage02: trimmed });
    expect(check.cloud.notInTerraform.find((n) => n.address === "aws/vpc/main")).toEqual({ address: "aws/vpc/main", exists: true, adopted: false, id: "vpc-0old" });
    expect(check.cloud.notInTerraform.find((n) => n.address === "aws/autoscaling_group_tags/general")?.adopted).toBe(true);
    expect(validationDocument(loaded.config, check).blockers.find((b) => b.address === "aws/vpc/main")?.kind).toBe("untracked");
  });

  test("a Kubernetes object is the one whose UID Terraform recorded", async () => {
    const stage03 = tfstate("stage03-aws.tfstate.json");
    const withUid = structuredClone(stage03);
    const ns = withUid.state.resources.find((r) => r.type === "kubernetes_namespace")!;
    (ns.instances[0]!.attributes.metadata as Record<string, unknown>[])[0]!.uid = "uid-0recreated";
    const check = await checkImport({ ...inputs(), stage03: withUid });
    expect(check.kubernetes?.conflicts.map((c) => [c.address, c.uid, c.found.id])).toEqual([["k8s/namespace/_cluster/dev", "uid-0recreated", "uid-1"]]);
  });
});
