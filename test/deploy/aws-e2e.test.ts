// nic deploy end to end: the compiled binary against the sandbox's AWS and Kubernetes emulators, over real HTTP.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml"), "utf8");
let sandbox: Sandbox;
let dir: string;
let config: string;
const stage = () => join(dir, ".nebari/stages/02-infrastructure");

async function control(path: string, init?: RequestInit) {
  const res = await fetch(`${sandbox.controlEndpoint}${path}`, init);
  return (await res.json()) as any;
}

/** Mutating AWS calls since `since` (Describe/List/Get are reads). */
async function mutatingCalls(since: number): Promise<string[]> {
  const { calls } = await control(`/calls?since=${since}`);
  return calls.map((c: { action: string }) => c.action).filter((a: string) => !/^(Describe|List|Get|Head)/.test(a));
}

async function callCount(): Promise<number> {
  return (await control("/calls")).calls.length;
}

function deploy(...args: string[]) {
  return nicAsync(["deploy", "-f", config, "--format", "json", ...args], { ...sandbox.env, HOME: dir });
}

beforeAll(async () => {
  sandbox = await startSandbox({ delays: { eksClusterCreate: 100, eksNodegroupCreate: 50, eksAddonCreate: 20, efsCreate: 20 } });
  dir = tempDir("nic-deploy-");
  config = join(dir, "nebari-config.yaml");
  writeFileSync(config, DEMO);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe("nic deploy on the sandbox", () => {
  test("a fresh deploy creates stage 02 and 03 and writes outputs and a kubeconfig", async () => {
    const run = await deploy();
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.success).toBe(true);
    expect(doc.phases.cloud.applied.failed).toEqual([]);

    const outputs = JSON.parse(readFileSync(join(stage(), "outputs.json"), "utf8"));
    expect(statSync(join(stage(), "outputs.json")).mode & 0o777).toBe(0o600);
    expect(outputs.kubernetes_credentials.value.host).toMatch(/^https:\/\/127\.0\.0\.1:\d+/);
    expect(outputs.kubernetes_credentials.value.cluster_ca_certificate).toContain("BEGIN CERTIFICATE");
    expect(outputs.kubernetes_credentials.value.token).toMatch(/^k8s-aws-v1\./);
    expect(outputs.kubeconfig_filename.value).toBe(join(stage(), "kubeconfig"));
    expect(outputs.nfs_endpoint.value).toMatch(/^fs-[0-9a-f]+\.efs\.us-east-1\.amazonaws\.com$/);
    expect(outputs.oidc_provider_arn.value).toMatch(/^arn:aws:iam::\d{12}:oidc-provider\//);
    expect(outputs.cluster_autoscaler_role_arn.value).toMatch(/:role\/nicdemo-dev-cluster-autoscaler$/);
    expect(outputs.node_selectors).toEqual({
      general: { key: "eks.amazonaws.com/nodegroup", value: "general" },
      user: { key: "eks.amazonaws.com/nodegroup", value: "user" },
      worker: { key: "eks.amazonaws.com/nodegroup", value: "worker" },
    });
    expect(outputs.cluster.name).toBe("nicdemo-dev");
    expect(Object.keys(outputs.node_groups)).toEqual(["general", "user", "worker"]);
  });

  test("kubectl reaches the cluster through the kubeconfig and sees stage 03", async () => {
    const kubectl = async (...args: string[]) => {
      const child = Bun.spawn(["kubectl", "--kubeconfig", join(stage(), "kubeconfig"), ...args], { env: { ...process.env, ...sandbox.env }, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      return { stdout, stderr, code };
    };
    const ns = await kubectl("get", "ns", "-o", "name");
    expect(ns.code, ns.stderr).toBe(0);
    expect(ns.stdout).toContain("namespace/dev");
    const crds = (await kubectl("get", "crd", "-o", "name")).stdout;
    expect(crds.split("\n").filter((l) => l.includes("traefik.containo.us"))).toHaveLength(9);
    expect((await kubectl("get", "deploy", "-n", "dev", "-o", "name")).stdout).toContain("cluster-autoscaler");
  });

  test("a second deploy changes nothing and makes no mutating call", async () => {
    const dry = await deploy("--dry-run", "--detailed-exitcode");
    expect(dry.code, dry.stdout).toBe(0);
    const before = await callCount();
    const run = await deploy();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).has_changes).toBe(false);
    expect(await mutatingCalls(before)).toEqual([]);
  });

  test("changing max_nodes makes exactly one UpdateNodegroupConfig", async () => {
    writeFileSync(config, DEMO.replace(/(user:\n\s+instance: m5.xlarge\n\s+min_nodes: 0\n\s+max_nodes:) 5/, "$1 7"));
    const dry = await deploy("--dry-run", "--detailed-exitcode");
    expect(dry.code).toBe(2);
    const before = await callCount();
    expect((await deploy()).code).toBe(0);
    expect(await mutatingCalls(before)).toEqual(["UpdateNodegroupConfig"]);
  });

  test("adding a node group creates exactly that node group", async () => {
    writeFileSync(config, readFileSync(config, "utf8").replace("  tags:", "    gpu:\n      instance: g4dn.xlarge\n      gpu: true\n      max_nodes: 2\n  tags:"));
    const before = await callCount();
    const run = await deploy();
    expect(run.code, run.stdout).toBe(0);
    const calls = await mutatingCalls(before);
    expect(calls.filter((a) => a === "CreateNodegroup")).toHaveLength(1);
    expect(calls.filter((a) => /^(Create|Delete)/.test(a) && a !== "CreateNodegroup" && !a.startsWith("CreateOrUpdateTags"))).toEqual([]);
  });

  test("a saved plan applies only to the state it was made from", async () => {
    writeFileSync(config, readFileSync(config, "utf8").replace("team: data-platform", "team: research"));
    const planFile = join(dir, "plan.json");
    expect((await deploy("--plan-out", planFile)).code).toBe(0);
    // Another deploy moves the state on (a new serial): the saved plan is refused and nothing changes.
    writeFileSync(config, readFileSync(config, "utf8").replace("team: research", "team: data-platform"));
    expect((await deploy()).code).toBe(0);
    writeFileSync(config, readFileSync(config, "utf8").replace("team: data-platform", "team: research"));
    const stale = await deploy("--plan", planFile);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout).error.code).toBe("STATE_CONFLICT");
    // A fresh plan applies, and then there is nothing left to do.
    expect((await deploy("--plan-out", planFile)).code).toBe(0);
    const applied = await deploy("--plan", planFile);
    expect(applied.code, applied.stdout).toBe(0);
    expect((await deploy("--dry-run", "--detailed-exitcode")).code).toBe(0);
  });
});
