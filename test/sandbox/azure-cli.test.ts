// Proof by an independent client: the Debian azure-cli (2.45), logged in through sandbox/scripts/az-login (a registered
// cloud whose Azure AD endpoint ends in /adfs), creates, shows and deletes a resource group, an AKS cluster with pools and
// a registry on the ARM sandbox; kubectl reaches the cluster with the client certificate az fetched.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";

const AZ = Bun.which("az");
const KUBECTL = Bun.which("kubectl");
let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  if (!AZ) throw new Error("azure-cli is not installed (apt-get install -y azure-cli; .ci/run does it): the az proof cannot run (it never skips)");
  sandbox = await startSandbox({ delays: { aksClusterCreate: 300, aksPoolCreate: 200, aksClusterDelete: 200, aksPoolDelete: 200 } as never });
  dir = await mkdtemp(join(tmpdir(), "az-proof-"));
  env = { ...(process.env as Record<string, string>), ...sandbox.env, AZURE_CONFIG_DIR: join(dir, "azure-cli"), KUBECONFIG: join(dir, "kubeconfig") };
});

afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(cmd: string[], extraEnv: Record<string, string> = {}) {
  const proc = Bun.spawn(cmd, { env: { ...env, ...extraEnv }, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

async function az(...args: string[]) {
  const r = await run([AZ!, ...args, "-o", "json", "--only-show-errors"]);
  if (r.code !== 0) throw new Error(`az ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}

const inventory = async () => ((await (await fetch(`${sandbox.controlEndpoint}/inventory`)).json()) as { resources: { type: string; name: string }[] }).resources.filter((r) => r.type.startsWith("azure:"));

describe("azure-cli against the ARM sandbox", () => {
  test("a wrong secret is refused with Azure AD's error", async () => {
    const login = await run(["bash", "sandbox/scripts/az-login"], { AZURE_CLIENT_SECRET: "wrong" });
    expect(login.code).not.toBe(0);
    expect(login.stderr).toContain("AADSTS7000215");
  }, 120_000);

  test("log in, then create, show and delete a resource group, an AKS cluster with pools and a registry", async () => {
    const login = await run(["bash", "sandbox/scripts/az-login"]);
    expect({ code: login.code, stderr: login.stderr.split("\n").filter((l) => l.startsWith("ERROR")) }).toEqual({ code: 0, stderr: [] });
    expect((await az("account", "show")).id).toBe(sandbox.env.AZURE_SUBSCRIPTION_ID);

    const group = await az("group", "create", "-n", "nebari-dev", "-l", "Central US", "--tags", "Project=nebari");
    expect(group).toMatchObject({ name: "nebari-dev", location: "centralus", tags: { Project: "nebari" }, properties: { provisioningState: "Succeeded" } });

    const cluster = await az("aks", "create", "-g", "nebari-dev", "-n", "nebari-dev", "-l", "centralus", "--kubernetes-version", "1.31.13",
      "--dns-name-prefix", "Nebari", "--node-resource-group", "nebari-dev-node-resource-group", "--nodepool-name", "general",
      "--node-vm-size", "Standard_D8_v3", "--enable-cluster-autoscaler", "--min-count", "1", "--max-count", "1", "--node-count", "1",
      "--nodepool-labels", "azure-node-pool=general", "--enable-managed-identity", "--enable-oidc-issuer", "--no-ssh-key", "--yes");
    expect(cluster).toMatchObject({ name: "nebari-dev", provisioningState: "Succeeded", dnsPrefix: "Nebari", nodeResourceGroup: "nebari-dev-node-resource-group",
      identity: { type: "SystemAssigned" }, kubernetesVersion: "1.31.13", oidcIssuerProfile: { enabled: true } });
    expect(cluster.agentPoolProfiles).toMatchObject([{ name: "general", mode: "System", vmSize: "Standard_D8_v3", minCount: 1, maxCount: 1, nodeLabels: { "azure-node-pool": "general" } }]);

    const pool = await az("aks", "nodepool", "add", "-g", "nebari-dev", "--cluster-name", "nebari-dev", "-n", "user", "--mode", "User",
      "--node-vm-size", "Standard_D4_v3", "--enable-cluster-autoscaler", "--min-count", "0", "--max-count", "5", "--node-count", "0",
      "--labels", "azure-node-pool=user", "--node-taints", "dedicated=user:NoSchedule");
    expect(pool).toMatchObject({ name: "user", mode: "User", provisioningState: "Succeeded", nodeTaints: ["dedicated=user:NoSchedule"], minCount: 0, maxCount: 5 });
    expect((await az("aks", "nodepool", "list", "-g", "nebari-dev", "--cluster-name", "nebari-dev")).map((p: { name: string }) => p.name)).toEqual(["general", "user"]);

    await az("aks", "get-credentials", "-g", "nebari-dev", "-n", "nebari-dev", "--file", join(dir, "kubeconfig"));
    if (!KUBECTL) throw new Error("kubectl is not installed");
    const kubectl = await run([KUBECTL, "--kubeconfig", join(dir, "kubeconfig"), "get", "ns", "-o", "name"]);
    expect({ code: kubectl.code, stderr: kubectl.stderr }).toEqual({ code: 0, stderr: "" });
    expect(kubectl.stdout).toContain("namespace/kube-system");

    const registry = await az("acr", "create", "-g", "nebari-dev", "-n", "nebaridev", "--sku", "Standard", "-l", "centralus");
    expect(registry).toMatchObject({ name: "nebaridev", loginServer: "nebaridev.azurecr.io", sku: { name: "Standard" }, provisioningState: "Succeeded" });
    expect((await az("acr", "show", "-n", "nebaridev", "-g", "nebari-dev")).name).toBe("nebaridev");
    expect((await inventory()).map((r) => `${r.type}:${r.name}`).sort()).toEqual([
      "azure:agent-pool:general", "azure:agent-pool:user", "azure:managed-cluster:nebari-dev", "azure:registry:nebaridev",
      "azure:resource-group:nebari-dev", "azure:resource-group:nebari-dev-node-resource-group",
    ]);

    await az("aks", "nodepool", "delete", "-g", "nebari-dev", "--cluster-name", "nebari-dev", "-n", "user");
    await az("acr", "delete", "-n", "nebaridev", "-g", "nebari-dev", "--yes");
    await az("aks", "delete", "-g", "nebari-dev", "-n", "nebari-dev", "--yes");
    const show = await run([AZ!, "aks", "show", "-g", "nebari-dev", "-n", "nebari-dev"]);
    expect(show.code).not.toBe(0);
    expect(show.stderr).toContain("ResourceNotFound");
    await az("group", "delete", "-n", "nebari-dev", "--yes");
    expect(await az("group", "exists", "-n", "nebari-dev")).toBe(false);
    expect(await inventory()).toEqual([]);
  }, 300_000);
});
