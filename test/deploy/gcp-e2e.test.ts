// GCP end to end: the compiled binary against the GCP sandbox over real HTTP — deploy (through a busy cluster),
// gcloud sees what Nebari's Terraform would make, a second deploy changes nothing, drift after a gcloud change,
// kubectl through NIC's kubeconfig, destroy to an empty project (the owner's binding untouched).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_OWNER } from "../../sandbox/gcp/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-gcp.yaml"), "utf8");
const PROJECT = "nebari-sandbox";
const EMAIL = `nicdemo-dev@${PROJECT}.iam.gserviceaccount.com`;
let sandbox: Sandbox;
let dir: string;
let config: string;
const stage = () => join(dir, ".nebari/stages/02-infrastructure");

async function control(path: string, init?: RequestInit) {
  return (await (await fetch(`${sandbox.controlEndpoint}${path}`, init)).json()) as any;
}

const run = (...args: string[]) => nicAsync([...args, "-f", config, "--format", "json"], { ...sandbox.env, HOME: dir });

async function spawn(cmd: string[]) {
  const env = Object.fromEntries(Object.entries({ ...process.env, ...sandbox.env }).filter(([k]) => !/^(REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE)$/.test(k))) as Record<string, string>;
  const child = Bun.spawn(cmd, { env: { ...env, CLOUDSDK_CONFIG: join(dir, "gcloud"), KUBECONFIG: join(dir, "gcloud-kubeconfig") }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

async function gcloud(...args: string[]) {
  const r = await spawn(["gcloud", ...args, "--format=json", "--quiet"]);
  if (r.code !== 0) throw new Error(`gcloud ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout || "null");
}

beforeAll(async () => {
  sandbox = await startSandbox();
  await control("/delays", { method: "PUT", body: JSON.stringify({ gkeClusterCreate: 300, gkeNodePoolCreate: 100, gkeNodePoolDelete: 100, gkeClusterDelete: 100 }) });
  dir = tempDir("nic-gcp-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO);
});
afterAll(() => sandbox?.stop());

describe("nic on GCP (sandbox)", () => {
  test("deploy creates Nebari's stage 02 and 03, waiting out a busy cluster, and writes Nebari's outputs", async () => {
    // GKE refuses a second operation on a busy cluster: NIC backs off and retries.
    await control("/faults", { method: "POST", body: JSON.stringify({ service: "container", action: "CreateNodePool", kind: "error", code: "FAILED_PRECONDITION", message: "Cluster is running incompatible operation operation-123.", times: 2 }) });
    const r = await run("deploy");
    expect(r.code, r.stderr + r.stdout).toBe(0);

    const { calls } = await control("/calls");
    const creates = calls.filter((c: any) => c.action === "CreateNodePool");
    expect(creates.map((c: any) => c.status)).toEqual([400, 400, 200, 200, 200]);

    const outputs = JSON.parse(readFileSync(join(stage(), "outputs.json"), "utf8"));
    expect(outputs.kubernetes_credentials.value.host).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(outputs.kubernetes_credentials.value.cluster_ca_certificate).toContain("BEGIN CERTIFICATE");
    expect(outputs.kubernetes_credentials.value.token).toBe(sandbox.env.GOOGLE_OAUTH_ACCESS_TOKEN!);
    expect(outputs.kubeconfig_filename.value).toBe(join(stage(), "kubeconfig"));
    expect(outputs.cluster_oidc_issuer_url.value).toBe(`https://container.googleapis.com/v1/projects/${PROJECT}/locations/us-central1/clusters/nicdemo-dev`);
    expect(outputs.project_id.value).toBe(PROJECT);
    // Exactly the outputs of Nebari's template/gcp/outputs.tf (Terraform's `{value}` shape), none of AWS's.
    const nebariKeys = Object.keys(outputs).filter((k) => outputs[k] && typeof outputs[k] === "object" && Object.keys(outputs[k]).join() === "value");
    expect(nebariKeys.sort()).toEqual(["cluster_oidc_issuer_url", "kubeconfig_filename", "kubernetes_credentials", "project_id"]);
    expect(outputs.node_selectors).toEqual({
      general: { key: "cloud.google.com/gke-nodepool", value: "general" },
      user: { key: "cloud.google.com/gke-nodepool", value: "user" },
      worker: { key: "cloud.google.com/gke-nodepool", value: "worker" },
    });
  }, 120_000);

  test("gcloud sees what Nebari's Terraform would create", async () => {
    const cluster = await gcloud("container", "clusters", "describe", "nicdemo-dev", "--region", "us-central1");
    expect(cluster).toMatchObject({ locations: ["us-central1-a"], workloadIdentityConfig: { workloadPool: `${PROJECT}.svc.id.goog` }, masterAuth: { clientCertificateConfig: { issueClientCertificate: true } }, ipAllocationPolicy: { useRoutes: true }, network: "default" });
    expect(cluster.currentMasterVersion).toStartWith("1.34.");
    expect(cluster.nodePools.map((p: any) => p.name)).toEqual(["general", "user", "worker"]);
    const [general, user] = cluster.nodePools;
    expect(general).toMatchObject({ initialNodeCount: 1, autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 1 }, management: { autoRepair: true, autoUpgrade: false } });
    expect(general.config).toMatchObject({ machineType: "e2-highmem-4", imageType: "COS_CONTAINERD", serviceAccount: EMAIL, metadata: { "disable-legacy-endpoints": "true" }, preemptible: false });
    expect(general.config.oauthScopes).toEqual(["https://www.googleapis.com/auth/cloud-platform", "https://www.googleapis.com/auth/logging.write", "https://www.googleapis.com/auth/monitoring"]);
    expect(general.config.taints ?? []).toEqual([]);
    expect(user.config.taints).toEqual([{ key: "dedicated", value: "nebari", effect: "NO_SCHEDULE" }]);

    const policy = await gcloud("projects", "get-iam-policy", PROJECT);
    const roles = policy.bindings.filter((b: any) => b.members.includes(`serviceAccount:${EMAIL}`)).map((b: any) => b.role).sort();
    expect(roles).toEqual(["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer", "roles/storage.admin", "roles/storage.objectViewer"]);
    expect(policy.bindings).toContainEqual({ role: "roles/owner", members: [PROJECT_OWNER] });

    expect(await gcloud("iam", "service-accounts", "describe", EMAIL)).toMatchObject({ displayName: "nicdemo-dev kubernetes node-group service account" });
    expect(await gcloud("artifacts", "repositories", "describe", "nicdemo-dev", "--location", "us-central1")).toMatchObject({ format: "DOCKER" });
  }, 180_000);

  test("a second deploy changes nothing and makes no mutating call", async () => {
    const { calls: before } = await control("/calls");
    const r = await run("deploy");
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.phases.cloud.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
    const { calls } = await control(`/calls?since=${before.at(-1).seq}`);
    expect(calls.map((c: any) => c.action).filter((a: string) => !/^(Get|List)/.test(a))).toEqual([]);
  }, 60_000);

  test("kubectl reaches the cluster through NIC's kubeconfig (a Google access token from `nic kubeconfig token`)", async () => {
    const ns = await spawn(["kubectl", "--kubeconfig", join(stage(), "kubeconfig"), "get", "namespace/dev", "crd/ingressroutes.traefik.containo.us", "-o", "name"]);
    expect(ns.code, ns.stderr).toBe(0);
    expect(ns.stdout).toContain("namespace/dev");
    expect(ns.stdout).toContain("customresourcedefinition.apiextensions.k8s.io/ingressroutes.traefik.containo.us");
  }, 60_000);

  test("drift after a gcloud change is detected, accepted into the state, then fixed back to the configuration", async () => {
    await gcloud("container", "node-pools", "update", "user", "--cluster", "nicdemo-dev", "--region", "us-central1", "--node-labels=rogue=1");
    const detected = await run("drift", "detect", "--detailed-exitcode");
    expect(detected.code, detected.stderr).toBe(2);
    const report = JSON.parse(detected.stdout);
    expect(report.cloud.container_node_pool.user.differences).toEqual([{ field: "node_config.labels.rogue", state_value: null, actual_value: "1" }]);

    // accept: the state takes the cloud's value (no cloud call changes anything), and detect is clean.
    const { calls: before } = await control("/calls");
    const accepted = await run("drift", "accept", "--yes");
    expect(accepted.code, accepted.stderr + accepted.stdout).toBe(0);
    const { calls } = await control(`/calls?since=${before.at(-1).seq}`);
    expect(calls.map((c: any) => c.action).filter((a: string) => !/^(Get|List)/.test(a))).toEqual([]);
    const state = JSON.parse(readFileSync(join(stage(), "nic-state.json"), "utf8"));
    expect(state.resources["gcp/container_node_pool/user"].attributes.node_config.labels).toMatchObject({ rogue: "1" });
    expect((await run("drift", "detect", "--detailed-exitcode")).code).toBe(0);

    // The configuration still has no such label: fix (a deploy) takes it off, and gcloud sees it gone.
    const fixed = await run("drift", "fix", "--yes");
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(JSON.parse(fixed.stdout).phases.cloud.plan.summary).toMatchObject({ change: 1 });
    const pool = await gcloud("container", "node-pools", "describe", "user", "--cluster", "nicdemo-dev", "--region", "us-central1");
    expect(pool.config.labels ?? {}).not.toHaveProperty("rogue");
    expect((await run("drift", "detect", "--detailed-exitcode")).code).toBe(0);
  }, 120_000);

  test("destroy removes the LoadBalancer Service's forwarding rule, then everything NIC made, and only NIC's IAM members", async () => {
    const service = JSON.stringify({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "dev" }, spec: { type: "LoadBalancer", ports: [{ port: 80 }] } });
    writeFileSync(join(dir, "svc.json"), service);
    const applied = await spawn(["kubectl", "--kubeconfig", join(stage(), "kubeconfig"), "apply", "-f", join(dir, "svc.json")]);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await control("/inventory?type=gcp:forwarding-rule")).resources.length).toBe(1);

    const r = await run("destroy", "--yes");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const left = (await control("/inventory")).resources.filter((x: any) => x.type.startsWith("gcp:"));
    expect(left.map((x: any) => x.type)).toEqual(["gcp:project-policy"]);
    const policy = await gcloud("projects", "get-iam-policy", PROJECT);
    expect(policy.bindings).toEqual([{ role: "roles/owner", members: [PROJECT_OWNER] }]);
  }, 120_000);
});
