// Importing a Terraform-made GCP deployment (fixtures/tfstate/gcp-2024-era.tfstate.json: Nebari before 2025.2.1, with
// Container Registry, and the same after 2025.2.1 with Artifact Registry) into NIC, on the GCP sandbox with the compiled
// binary: the state maps, every resource is found by its Terraform id, and the next deploy changes nothing in the cloud;
// and the remote case: an OpenTofu-written state in the stage-01 GCS bucket, found where Nebari keeps it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const TFSTATE = join(import.meta.dir, "../../fixtures/tfstate/gcp-2024-era.tfstate.json");
const CONFIG = `project_name: gcpd
namespace: dev
provider: gcp
terraform_state: {type: local}
google_cloud_platform:
  project: proj
  region: us-central1
  kubernetes_version: '1.34'
  node_groups:
    general: {instance: e2-highmem-4, min_nodes: 1, max_nodes: 1}
    user: {instance: e2-standard-4, min_nodes: 0, max_nodes: 5}
    worker: {instance: e2-standard-4, min_nodes: 0, max_nodes: 3}
`;
let sandbox: Sandbox;

function project(config = CONFIG): string {
  const dir = tempDir("nic-gcp-import-");
  writeFileSync(join(dir, "nebari-config.yaml"), config);
  return dir;
}

/** The same deployment after Nebari 2025.2.1: the registry is google_artifact_registry_repository. */
function modernState() {
  const tfstate = JSON.parse(readFileSync(TFSTATE, "utf8"));
  const registry = tfstate.resources.find((r: { type: string }) => r.type === "google_container_registry");
  Object.assign(registry, { type: "google_artifact_registry_repository", provider: 'provider["registry.terraform.io/hashicorp/google"]' });
  registry.instances[0].attributes = { id: "projects/proj/locations/us-central1/repositories/gcpd-dev", repository_id: "gcpd-dev", location: "us-central1", format: "DOCKER", project: "proj" };
  return tfstate;
}

/** The sandbox's Cloud Storage JSON API (Nebari's stage 01 made the bucket; Terraform's gcs backend wrote the objects). */
const storage = (path: string, init?: RequestInit) => fetch(`${sandbox.env.STORAGE_EMULATOR_HOST}${path}`, init);
const upload = (bucket: string, name: string, body: string) => storage(`/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`, { method: "POST", body });
const run = (dir: string, ...args: string[]) => nicAsync([...args, "--format", "json"], { ...sandbox.env, HOME: dir }, dir);
const doc = (r: { stdout: string }) => JSON.parse(r.stdout || "{}");

beforeAll(async () => {
  sandbox = await startSandbox();
  await fetch(`${sandbox.controlEndpoint}/delays`, { method: "PUT", body: JSON.stringify({ gkeClusterCreate: 100, gkeNodePoolCreate: 50 }) });
  // The deployment Terraform made, recreated here by a NIC run whose own state is then thrown away.
  const made = project();
  const r = await run(made, "deploy", "-f", "nebari-config.yaml");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  rmSync(join(made, ".nebari"), { recursive: true });
}, 120_000);
afterAll(() => sandbox?.stop());

describe("nic import --from-terraform on GCP", () => {
  test("--validate-only maps every address, verifies each by its Terraform id, and writes nothing", async () => {
    const dir = project();
    const r = await run(dir, "import", "--from-terraform", "-f", "nebari-config.yaml", "--terraform-state-02", TFSTATE, "--validate-only");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const d = doc(r);
    expect(d).toMatchObject({ success: true, validate_only: true });
    const found = d.cloud.found.map((m: { address: string }) => m.address);
    expect(found).toContain("gcp/container_cluster/main");
    expect(found).toContain("gcp/container_node_pool/worker");
    expect(found).toContain("gcp/project_iam_member/stackdriver.resourceMetadata.writer");
    expect(found).toHaveLength(11);
    // Container Registry's bucket (Nebari before 2025.2.1) is not an Artifact Registry repository: reported missing.
    expect(d.cloud.missing.map((m: { terraform: string }) => m.terraform)).toEqual(["module.registry-jupyterhub.google_container_registry.registry"]);
    expect(d.configuration_match.filter((c: { ok: boolean }) => !c.ok)).toEqual([
      { check: "kubernetes version", ok: false, terraform: "1.29", config: "1.34" },
      { check: "node group worker size", ok: false, terraform: [0, 5], config: [0, 3] },
    ]);
    expect(readdirSync(dir)).toEqual(["nebari-config.yaml"]);
  }, 60_000);

  test("import adopts what Terraform made (Nebari 2025.2.1+: an Artifact Registry repository); the next deploy changes nothing", async () => {
    const dir = project();
    writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(modernState()));
    const r = await run(dir, "import", "--from-terraform", "-f", "nebari-config.yaml", "--terraform-state-02", join(dir, "terraform.tfstate"));
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
    expect(state.resources["gcp/container_cluster/main"].imported_from_terraform).toBe(true);
    expect(state.resources["gcp/container_cluster/main"].provider_id).toBe("projects/proj/locations/us-central1/clusters/gcpd-dev");
    expect(state.resources["gcp/service_account/main"].provider_id).toBe("gcpd-dev@proj.iam.gserviceaccount.com");
    expect(state.resources["gcp/project_iam_member/storage.admin"].provider_id).toBe("proj/roles/storage.admin/serviceAccount:gcpd-dev@proj.iam.gserviceaccount.com");

    const deployed = await run(dir, "deploy", "-f", "nebari-config.yaml");
    expect(deployed.code, deployed.stderr + deployed.stdout).toBe(0);
    expect(doc(deployed).phases.cloud.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
    expect(state.resources["gcp/artifact_registry_repository/jupyterhub"].provider_id).toBe("projects/proj/locations/us-central1/repositories/gcpd-dev");
  }, 120_000);

  test("with remote state, import finds the stage-02 state in the stage-01 GCS bucket (written by OpenTofu), refuses while Terraform's lock object is there, and keeps NIC's state beside it", async () => {
    const dir = project(CONFIG.replace("terraform_state: {type: local}", "terraform_state: {type: remote}"));
    const bucket = "gcpd-dev-terraform-state";
    const object = "terraform/gcpd/02-infrastructure/default.tfstate";
    expect((await storage("/storage/v1/b?project=proj", { method: "POST", body: JSON.stringify({ name: bucket }) })).status).toBe(200);
    const tofu = modernState();
    tofu.terraform_version = "1.8.5";
    for (const r of tofu.resources) r.provider = r.provider.replace("registry.terraform.io", "registry.opentofu.org");
    expect((await upload(bucket, object, JSON.stringify(tofu))).status).toBe(200);

    // A Terraform run holds the gcs backend's lock object: NIC refuses to read, and writes nothing.
    const lock = "terraform/gcpd/02-infrastructure/default.tflock";
    await upload(bucket, lock, JSON.stringify({ ID: "1712345678901234", Operation: "OperationTypeApply", Who: "ci@runner", Version: "1.8.5", Created: "2026-12-03T10:00:00Z", Path: `${bucket}/${object}` }));
    const locked = await run(dir, "import", "--from-terraform", "-f", "nebari-config.yaml");
    expect(locked.code, locked.stderr + locked.stdout).not.toBe(0);
    expect(doc(locked).error).toMatchObject({ code: "TFSTATE_LOCKED", details: { lock: { id: "1712345678901234", who: "ci@runner" } } });
    await storage(`/storage/v1/b/${bucket}/o/${encodeURIComponent(lock)}`, { method: "DELETE" });

    const r = await run(dir, "import", "--from-terraform", "-f", "nebari-config.yaml");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.stringify(doc(r))).toContain(`gs://${bucket}/${object}`);
    // NIC's own state is in the same bucket under nic/, never over Terraform's object.
    const stored = await storage(`/storage/v1/b/${bucket}/o/${encodeURIComponent("nic/gcpd-dev/02-infrastructure/nic-state.json")}?alt=media`);
    expect(stored.status).toBe(200);
    const state = (await stored.json()) as any;
    expect(state.resources["gcp/container_cluster/main"]).toMatchObject({ imported_from_terraform: true, provider_id: "projects/proj/locations/us-central1/clusters/gcpd-dev" });
    expect(await (await storage(`/storage/v1/b/${bucket}/o/${encodeURIComponent(object)}?alt=media`)).json()).toEqual(tofu);

    const deployed = await run(dir, "deploy", "-f", "nebari-config.yaml");
    expect(deployed.code, deployed.stderr + deployed.stdout).toBe(0);
    expect(doc(deployed).phases.cloud.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
  }, 120_000);
});
