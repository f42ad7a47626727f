// nic on Azure end to end: the compiled binary against the ARM sandbox and the cluster's Kubernetes API, over real HTTPS.
// deploy → redeploy with 0 changes → azure-cli sees what Nebari's Terraform would create → drift → destroy to nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-azure.yaml"), "utf8");
const SUB = "/subscriptions/00000000-0000-0000-0000-00000000cafe";
const CLUSTER_ID = `${SUB}/resourceGroups/nic-demo-dev/providers/Microsoft.ContainerService/managedClusters/nica2Ddemo-dev`;
let sandbox: Sandbox;
let dir: string;
let config: string;
const stage = () => join(dir, ".nebari/stages/02-infrastructure");

async function control(path: string, init?: RequestInit) {
  return (await (await fetch(`${sandbox.controlEndpoint}${path}`, init)).json()) as any;
}
const azureInventory = async () => ((await control("/inventory")).resources as { type: string; name: string }[]).filter((r) => r.type.startsWith("azure:")).map((r) => `${r.type}:${r.name}`).sort();
const mutate = (change: object) => control("/mutate", { method: "POST", body: JSON.stringify(change) });

const nic = (...args: string[]) => nicAsync([...args, "-f", config, "--format", "json"], { ...sandbox.env, HOME: dir });

async function run(cmd: string[]) {
  const child = Bun.spawn(cmd, { env: { ...process.env, ...sandbox.env, AZURE_CONFIG_DIR: join(dir, "azure-cli") }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { aksClusterCreate: 200, aksPoolCreate: 100, aksClusterDelete: 100, aksPoolDelete: 100, acrCreate: 50, acrDelete: 50, groupDelete: 50 } as never });
  dir = tempDir("nic-azure-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe("nic on Azure (the ARM sandbox)", () => {
  test("deploy creates stage 02 and 03 and writes Nebari's Azure outputs and AKS's kubeconfig", async () => {
    const r = await nic("deploy");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).success).toBe(true);
    // One sign-in for the whole run: the online check shares the deploy's credential and its token.
    expect((await control("/calls")).calls.filter((c: { action: string }) => c.action === "V2_Token")).toHaveLength(1);
    expect(await azureInventory()).toEqual([
      "azure:agent-pool:general", "azure:agent-pool:user", "azure:agent-pool:worker", "azure:managed-cluster:nica2Ddemo-dev",
      "azure:registry:nica2Ddemodev", "azure:resource-group:nic-demo-dev", "azure:resource-group:nic-demo-dev-node-resource-group",
    ]);

    const outputs = JSON.parse(readFileSync(join(stage(), "outputs.json"), "utf8"));
    const credentials = outputs.kubernetes_credentials.value;
    expect(Object.keys(credentials).sort()).toEqual(["client_certificate", "client_key", "cluster_ca_certificate", "host", "password", "username"]);
    expect(credentials.host).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(credentials.client_certificate).toStartWith("-----BEGIN CERTIFICATE-----");
    expect(credentials.client_key).toContain("PRIVATE KEY-----");
    expect(credentials.cluster_ca_certificate).toStartWith("-----BEGIN CERTIFICATE-----");
    expect(credentials.username).toBe("clusterUser_nic-demo-dev_nica2Ddemo-dev");
    expect(outputs.kubeconfig_filename.value).toBe(join(stage(), "kubeconfig"));
    expect(outputs.resource_group_name.value).toBe("nic-demo-dev");
    expect(outputs.cluster_oidc_issuer_url.value).toBe("");
    expect(outputs.node_selectors).toEqual({
      general: { key: "azure-node-pool", value: "general" },
      user: { key: "azure-node-pool", value: "user" },
      worker: { key: "azure-node-pool", value: "worker" },
    });
    expect(outputs).not.toHaveProperty("nfs_endpoint");
    expect(outputs.cluster.name).toBe("nica2Ddemo-dev");

    const ns = await run(["kubectl", "--kubeconfig", join(stage(), "kubeconfig"), "get", "ns,crd", "-o", "name"]);
    expect(ns.code, ns.stderr).toBe(0);
    expect(ns.stdout).toContain("namespace/dev");
    expect(ns.stdout).toContain("customresourcedefinition.apiextensions.k8s.io/ingressroutes.traefik.containo.us");

    // `nic kubeconfig` gives the same AKS kubeconfig (client certificate).
    const written = await nicAsync(["kubeconfig", "-f", config, "-o", join(dir, "kc"), "--format", "json"], { ...sandbox.env, HOME: dir });
    expect(written.code, written.stderr).toBe(0);
    const again = await run(["kubectl", "--kubeconfig", join(dir, "kc"), "get", "ns", "dev", "-o", "name"]);
    expect({ code: again.code, out: again.stdout.trim() }).toEqual({ code: 0, out: "namespace/dev" });
  }, 120_000);

  test("a second deploy changes nothing and sends no mutating call", async () => {
    const since = (await control("/calls")).calls.at(-1).seq;
    const r = await nic("deploy");
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.phases.cloud.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
    expect(doc.phases.kubernetes.plan.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
    const calls = (await control(`/calls?since=${since}`)).calls as { service: string; action: string }[];
    const mutating = calls.filter((c) => c.service !== "aad" && !/_(Get|List\w*|CheckExistence)$/.test(c.action));
    expect(mutating.map((c) => c.action)).toEqual([]);
    // The cluster's credentials are read once, for stage 03 and outputs.json alike.
    expect(calls.filter((c) => c.action === "ManagedClusters_ListClusterUserCredentials")).toHaveLength(1);
  }, 120_000);

  test("azure-cli sees what Nebari's Terraform would create", async () => {
    const login = await run(["bash", "sandbox/scripts/az-login"]);
    expect(login.code, login.stderr).toBe(0);
    const az = async (...args: string[]) => {
      const r = await run(["az", ...args, "-o", "json", "--only-show-errors"]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const cluster = await az("aks", "show", "-g", "nic-demo-dev", "-n", "nica2Ddemo-dev");
    expect(cluster).toMatchObject({
      location: "centralus", dnsPrefix: "Nebari", kubernetesVersion: "1.33", nodeResourceGroup: "nic-demo-dev-node-resource-group",
      identity: { type: "SystemAssigned" }, sku: { tier: "Free" }, tags: { team: "data-platform" },
      apiServerAccessProfile: { authorizedIpRanges: ["0.0.0.0/0"], enablePrivateCluster: false }, oidcIssuerProfile: { enabled: false },
    });
    const pools = await az("aks", "nodepool", "list", "-g", "nic-demo-dev", "--cluster-name", "nica2Ddemo-dev");
    const shape = pools.map((p: any) => ({ name: p.name, mode: p.mode, vmSize: p.vmSize, min: p.minCount, max: p.maxCount, auto: p.enableAutoScaling, labels: p.nodeLabels, taints: p.nodeTaints ?? [] }));
    expect(shape).toEqual([
      { name: "general", mode: "System", vmSize: "Standard_D8_v3", min: 1, max: 1, auto: true, labels: { "azure-node-pool": "general" }, taints: [] },
      { name: "user", mode: "User", vmSize: "Standard_D4_v3", min: 0, max: 5, auto: true, labels: { "azure-node-pool": "user" }, taints: ["dedicated=nebari:NoSchedule"] },
      { name: "worker", mode: "User", vmSize: "Standard_D4_v3", min: 0, max: 5, auto: true, labels: { "azure-node-pool": "worker" }, taints: ["dedicated=nebari:NoSchedule"] },
    ]);
    expect(await az("acr", "show", "-g", "nic-demo-dev", "-n", "nica2Ddemodev")).toMatchObject({ sku: { name: "Standard" }, loginServer: "nica2ddemodev.azurecr.io", tags: { team: "data-platform" } });
    expect(await az("group", "show", "-n", "nic-demo-dev")).toMatchObject({ location: "centralus", tags: { team: "data-platform" } });
  }, 180_000);

  test("drift: a tag changed behind NIC's back is reported; the autoscaler's node count is ignored", async () => {
    await mutate({ type: "azure:managed-cluster", id: CLUSTER_ID.toLowerCase(), tags: { rogue: "1" } });
    await mutate({ type: "azure:agent-pool", id: `${CLUSTER_ID}/agentPools/user`.toLowerCase(), set: { props: { count: 3 } } });
    const r = await nic("drift", "detect");
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.has_drift).toBe(true);
    expect(doc.cloud.kubernetes_cluster.main.differences).toEqual([{ field: "tags.rogue", state_value: null, actual_value: "1" }]);
    expect(doc.cloud.kubernetes_cluster_node_pool.user.drift).toBe(false);
    expect(doc.ignored).toContainEqual({ address: "azure/kubernetes_cluster_node_pool/user", phase: "cloud", field: "node_count", state_value: 0, actual_value: 3 });

    const fix = await nic("drift", "fix", "--yes");
    expect(fix.code, fix.stderr + fix.stdout).toBe(0);
    expect(JSON.parse((await nic("drift", "detect")).stdout).has_drift).toBe(false);
  }, 120_000);

  test("destroy deletes LoadBalancer services, user pools, the cluster, the registry and the group NIC created: nothing is left", async () => {
    // As Nebari's later stages make one (Traefik's), with the client certificate from outputs.json.
    const { host, cluster_ca_certificate: ca, client_certificate: cert, client_key: key } = JSON.parse(readFileSync(join(stage(), "outputs.json"), "utf8")).kubernetes_credentials.value;
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "proxy", namespace: "dev" }, spec: { type: "LoadBalancer", ports: [{ port: 80 }] } };
    const created = await fetch(`${host}/api/v1/namespaces/dev/services`, { method: "POST", body: JSON.stringify(service), headers: { "content-type": "application/json" }, tls: { ca, cert, key } } as RequestInit);
    expect(created.status).toBe(201);
    expect((await azureInventory()).filter((r) => r.startsWith("azure:public-ip:"))).toHaveLength(1);
    const r = await nic("destroy", "--yes");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.swept).toContain("service:dev/proxy");
    expect(await azureInventory()).toEqual([]);
  }, 120_000);
});
