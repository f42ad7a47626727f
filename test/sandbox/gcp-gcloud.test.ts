// gcloud 528, an independent client, vouches for the GCP sandbox: it creates, describes, lists and deletes a GKE
// cluster and node pools, an Artifact Registry repository, a service account and project IAM bindings through
// `api_endpoint_overrides`; kubectl reaches the cluster's Kubernetes API with a Google access token.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_OWNER, SANDBOX_PROJECT } from "../../sandbox/gcp/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";

let sandbox: Sandbox;
let scratch: string;
const hasGcloud = Bun.spawnSync(["which", "gcloud"]).exitCode === 0;

function env(): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLOUDSDK_|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|KUBECONFIG)/.test(k))) as Record<string, string>;
  return { ...base, ...sandbox.env, CLOUDSDK_CONFIG: join(scratch, "gcloud"), KUBECONFIG: join(scratch, "kubeconfig"), CLOUDSDK_CORE_DISABLE_PROMPTS: "1" };
}

async function gcloud(...args: string[]): Promise<any> {
  const proc = Bun.spawn(["gcloud", ...args, "--format=json"], { env: env(), stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`gcloud ${args.join(" ")} failed (${code}): ${err}`);
  return out.trim() ? JSON.parse(out) : undefined;
}

const REGION = ["--region", "us-central1"];

beforeAll(async () => {
  expect(hasGcloud).toBe(true);
  scratch = mkdtempSync(join(tmpdir(), "nic-gcloud-"));
  sandbox = await startSandbox();
  await fetch(`${sandbox.controlEndpoint}/delays`, { method: "PUT", body: JSON.stringify({ gkeClusterCreate: 0, gkeClusterDelete: 0, gkeNodePoolCreate: 0, gkeNodePoolDelete: 0, gkeNodePoolUpdate: 0, gkeClusterUpdate: 0 }) });
});
afterAll(async () => {
  await sandbox?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("gcloud against the GCP sandbox", () => {
  test("GKE: cluster and node pools, created, described, listed, updated, deleted", async () => {
    await gcloud("container", "clusters", "create", "demo", ...REGION, "--num-nodes", "1", "--release-channel", "regular");
    const cluster = await gcloud("container", "clusters", "describe", "demo", ...REGION);
    expect(cluster).toMatchObject({ name: "demo", status: "RUNNING", zone: "us-central1", location: "us-central1", releaseChannel: { channel: "REGULAR" } });
    expect(cluster.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    const caPem = Buffer.from(cluster.masterAuth.clusterCaCertificate, "base64").toString();
    expect(caPem).toContain("BEGIN CERTIFICATE");

    // kubectl reaches the cluster's own Kubernetes API with a Google access token.
    writeFileSync(join(scratch, "ca.pem"), caPem);
    const kubectl = Bun.spawn(["kubectl", "--server", `https://${cluster.endpoint}`, "--certificate-authority", join(scratch, "ca.pem"), "--token", sandbox.env.GOOGLE_OAUTH_ACCESS_TOKEN!, "get", "namespaces", "-o", "name"], { env: env(), stdout: "pipe", stderr: "pipe" });
    const [namespaces, kubectlErr] = [await new Response(kubectl.stdout).text(), await new Response(kubectl.stderr).text()];
    expect(kubectlErr).toBe("");
    expect(namespaces).toContain("namespace/default");

    await gcloud("container", "node-pools", "create", "general", "--cluster", "demo", ...REGION, "--machine-type", "e2-highmem-4", "--enable-autoscaling", "--min-nodes", "0", "--max-nodes", "5", "--num-nodes", "1", "--node-labels=a=b", "--node-taints=dedicated=user:NoSchedule");
    const pool = await gcloud("container", "node-pools", "describe", "general", "--cluster", "demo", ...REGION);
    expect(pool).toMatchObject({ name: "general", status: "RUNNING", autoscaling: { enabled: true, minNodeCount: 0, maxNodeCount: 5 }, config: { machineType: "e2-highmem-4", labels: { a: "b" }, taints: [{ key: "dedicated", value: "user", effect: "NO_SCHEDULE" }] } });

    await gcloud("container", "node-pools", "update", "general", "--cluster", "demo", ...REGION, "--enable-autoscaling", "--min-nodes", "1", "--max-nodes", "3");
    expect((await gcloud("container", "node-pools", "describe", "general", "--cluster", "demo", ...REGION)).autoscaling).toMatchObject({ minNodeCount: 1, maxNodeCount: 3 });

    const pools = await gcloud("container", "node-pools", "list", "--cluster", "demo", ...REGION);
    expect(pools.map((p: any) => p.name).sort()).toEqual(["default-pool", "general"]);

    await gcloud("container", "node-pools", "delete", "default-pool", "--cluster", "demo", ...REGION, "--quiet");
    expect((await gcloud("container", "node-pools", "list", "--cluster", "demo", ...REGION)).map((p: any) => p.name)).toEqual(["general"]);
    expect((await gcloud("container", "clusters", "list", ...REGION)).map((c: any) => c.name)).toEqual(["demo"]);

    await gcloud("container", "clusters", "delete", "demo", ...REGION, "--quiet");
    expect(await gcloud("container", "clusters", "list", ...REGION)).toEqual([]);
  }, 120_000);

  test("Artifact Registry: a Docker repository, created, described, listed, deleted", async () => {
    await gcloud("artifacts", "repositories", "create", "nebari-dev", "--repository-format", "docker", "--location", "us-central1");
    const repo = await gcloud("artifacts", "repositories", "describe", "nebari-dev", "--location", "us-central1");
    expect(repo).toMatchObject({ name: `projects/${SANDBOX_PROJECT}/locations/us-central1/repositories/nebari-dev`, format: "DOCKER" });
    expect((await gcloud("artifacts", "repositories", "list", "--location", "us-central1")).map((r: any) => r.name)).toEqual([repo.name]);
    await gcloud("artifacts", "repositories", "delete", "nebari-dev", "--location", "us-central1", "--quiet");
    const inventory: any = await (await fetch(`${sandbox.controlEndpoint}/inventory?type=gcp:artifact-repository`)).json();
    expect(inventory.resources).toEqual([]);
  }, 180_000);

  test("IAM: a service account and its project bindings, beside the owner's", async () => {
    const email = `nebari-dev@${SANDBOX_PROJECT}.iam.gserviceaccount.com`;
    await gcloud("iam", "service-accounts", "create", "nebari-dev", "--display-name", "nebari-dev kubernetes node-group service account");
    expect(await gcloud("iam", "service-accounts", "describe", email)).toMatchObject({ email, displayName: "nebari-dev kubernetes node-group service account" });
    expect((await gcloud("iam", "service-accounts", "list")).map((a: any) => a.email)).toEqual([email]);

    await gcloud("projects", "add-iam-policy-binding", SANDBOX_PROJECT, "--member", `serviceAccount:${email}`, "--role", "roles/storage.admin", "--condition=None");
    const policy = await gcloud("projects", "get-iam-policy", SANDBOX_PROJECT);
    expect(policy.bindings).toEqual([
      { role: "roles/owner", members: [PROJECT_OWNER] },
      { role: "roles/storage.admin", members: [`serviceAccount:${email}`] },
    ]);
    expect(Buffer.from(policy.etag, "base64").length).toBe(8);

    await gcloud("iam", "service-accounts", "delete", email, "--quiet");
    expect(await gcloud("iam", "service-accounts", "list")).toEqual([]);
    // GCP keeps a deleted account's bindings, renamed; removing them by their new name leaves the owner alone.
    const after = await gcloud("projects", "get-iam-policy", SANDBOX_PROJECT);
    const deleted = after.bindings[1].members[0];
    expect(deleted).toMatch(new RegExp(`^deleted:serviceAccount:${email}\\?uid=\\d+$`));
    await gcloud("projects", "remove-iam-policy-binding", SANDBOX_PROJECT, "--member", deleted, "--role", "roles/storage.admin", "--condition=None");
    expect((await gcloud("projects", "get-iam-policy", SANDBOX_PROJECT)).bindings).toEqual([{ role: "roles/owner", members: [PROJECT_OWNER] }]);
  }, 180_000);

  test("Compute zones: gcloud's server-side region filter", async () => {
    const zones = await gcloud("compute", "zones", "list", "--filter=region:us-central1");
    expect(zones.map((z: any) => z.name)).toEqual(["us-central1-a", "us-central1-b", "us-central1-c"]);
  }, 120_000);

  test("integer enums (the Node GAPIC REST transport) read back as names; a stale etag is ABORTED", async () => {
    const auth = { authorization: `Bearer ${sandbox.env.GOOGLE_OAUTH_ACCESS_TOKEN}` };
    const base = `${sandbox.gcpEndpoint}/v1/projects/${SANDBOX_PROJECT}/locations/us-central1`;
    const created = await fetch(`${base}/repositories?repositoryId=ints&$alt=json;enum-encoding=int`, { method: "POST", headers: auth, body: JSON.stringify({ format: 1, mode: 1 }) });
    expect(created.status).toBe(200);
    expect(await gcloud("artifacts", "repositories", "describe", "ints", "--location", "us-central1")).toMatchObject({ format: "DOCKER", mode: "STANDARD_REPOSITORY" });

    const crm = `${sandbox.gcpEndpoint}/v3/projects/${SANDBOX_PROJECT}`;
    const policy: any = await (await fetch(`${crm}:getIamPolicy`, { method: "POST", headers: auth, body: "{}" })).json();
    await gcloud("projects", "add-iam-policy-binding", SANDBOX_PROJECT, "--member", "user:other@example.com", "--role", "roles/viewer", "--condition=None");
    const stale = await fetch(`${crm}:setIamPolicy`, { method: "POST", headers: auth, body: JSON.stringify({ policy }) });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as any).error.status).toBe("ABORTED");

    const anonymous = await fetch(`${base}/clusters`);
    expect(anonymous.status).toBe(401);
  }, 120_000);
});
