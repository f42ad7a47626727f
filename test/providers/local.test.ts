// provider: local. The kind/docker boundary is checked through fake CLIs that record their argv (no Docker daemon here);
// behind them, the compiled binary applies MetalLB and stage 03 to the sandbox's standalone cluster, which kubectl reads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { startStandaloneCluster, type StandaloneCluster } from "../../sandbox/kubernetes/standalone.ts";
import { cidrHost } from "../../src/providers/local/cidr.ts";
import { kindConfig } from "../../src/providers/local/kind.ts";
import { metallbPool, metallbResources, poolConfig } from "../../src/providers/local/metallb.ts";
import { nicAsync, requireBinary } from "../helpers/binary.ts";
import { KIND_NETWORK, basicTools, fakeTools, type FakeTools } from "../helpers/local-fakes.ts";

const KUBECTL = Bun.which("kubectl");
/** No system folders (this machine has a docker client): the tests decide which tools exist. Set in beforeAll. */
let SYSTEM_PATH = "";
const METALLB = [
  "namespace/metallb-system", "serviceaccount/controller", "serviceaccount/speaker", "role/config-watcher", "role/pod-lister", "role/controller",
  "rolebinding/config-watcher", "rolebinding/pod-lister", "rolebinding/controller", "daemonset/speaker", "deployment/controller", "configmap/config",
];
// What Terraform 1.11.4 prints for Nebari's locals on a 172.18.0.0/16 kind network (terraform console, yamlencode + cidrhost).
const POOL_CONFIG_172_18 = '"address-pools":\n- "addresses":\n  - "172.18.1.100-172.18.1.150"\n  "name": "default"\n  "protocol": "layer2"\n';

let dir: string;
beforeAll(async () => {
  requireBinary();
  if (!KUBECTL) throw new Error("kubectl is not installed on this machine: the proof cannot run (it never skips)");
  dir = await mkdtemp(join(tmpdir(), "nic-local-"));
  SYSTEM_PATH = await basicTools(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The kubeconfig `kind get kubeconfig --name test-cluster` prints, pointing at a sandbox cluster. */
function kindKubeconfig(c: StandaloneCluster) {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const name = "kind-test-cluster";
  return stringify({
    apiVersion: "v1", kind: "Config", "current-context": name, preferences: {},
    clusters: [{ name, cluster: { server: c.api.endpoint, "certificate-authority-data": b64(c.api.caPem) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    users: [{ name, user: { "client-certificate-data": b64(c.api.adminCertPem), "client-key-data": b64(c.api.adminKeyPem) } }],
  });
}

async function kubectl(c: StandaloneCluster, ...args: string[]) {
  const proc = Bun.spawn([KUBECTL!, `--kubeconfig=${c.kubeconfigPath}`, `--cache-dir=${join(dir, "cache")}`, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${stderr}`);
  return stdout.trim();
}

async function project(name: string, local: Record<string, unknown>, env: Record<string, string>) {
  const folder = join(dir, name);
  const config = join(folder, "nebari-config.yaml");
  await Bun.write(config, stringify({ project_name: name, provider: "local", namespace: "dev", local }));
  const run = async (...args: string[]) => {
    const r = await nicAsync([...args, "-f", config, "--format", "json"], env, folder);
    return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : undefined };
  };
  const stage = join(folder, ".nebari/stages/02-infrastructure");
  return { run, stage, outputs: async () => JSON.parse(await readFile(join(stage, "outputs.json"), "utf8")) };
}

/** MetalLB's objects in metallb-system that carry NIC's label, as `kind/name`, with the namespace itself. */
async function metallbIn(c: StandaloneCluster) {
  const names = await kubectl(c, "get", "serviceaccount,role,rolebinding,daemonset,deployment,configmap", "-n", "metallb-system", "-l", "app.kubernetes.io/managed-by=nic", "-o", "name");
  const kinds = names.split("\n").map((l) => l.replace(/^([a-z]+)[^/]*\//, "$1/"));
  return [await kubectl(c, "get", "namespace", "metallb-system", "-o", "name"), ...kinds];
}

describe("Nebari's local template, replicated", () => {
  test("the kind configuration NIC gives `kind create cluster` (tehcyx/kind turns role general into kind's default control-plane)", () => {
    expect(kindConfig()).toBe("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    image: kindest/node:v1.32.5\n");
  });

  test("cidrhost as Terraform computes it, refusals included", () => {
    expect(metallbPool("172.18.0.0/16")).toBe("172.18.1.100-172.18.1.150");
    expect(metallbPool("fc00:f853:ccd:e793::/64")).toBe("fc00:f853:ccd:e793::164-fc00:f853:ccd:e793::196"); // terraform console
    expect(cidrHost("10.1.2.3/8", 70000)).toBe("10.1.17.112");
    expect(() => cidrHost("10.89.0.0/24", 356)).toThrow("prefix of 24 does not accommodate a host numbered 356");
  });

  test("the pool ConfigMap is byte for byte what Terraform's yamlencode writes", () => {
    expect(poolConfig(metallbPool("172.18.0.0/16"))).toBe(POOL_CONFIG_172_18);
  });

  test("MetalLB v0.12.1: every document of Nebari's metallb.yaml, NIC's label and the replicated version added", () => {
    const resources = metallbResources("10.0.0.1-10.0.0.2");
    expect(resources).toHaveLength(16);
    const images = resources.flatMap((r) => ((r.attributes as any).spec?.template?.spec?.containers ?? []).map((c: any) => c.image));
    expect(images).toEqual(["quay.io/metallb/speaker:v0.12.1", "quay.io/metallb/controller:v0.12.1"]);
    for (const r of resources) {
      expect((r.attributes as any).metadata.labels["app.kubernetes.io/managed-by"]).toBe("nic");
      expect((r.attributes as any).metadata.annotations["nic.nebari.dev/replicates"]).toBe("metallb-v0.12.1");
    }
  });
});

describe("provider: local without kube_context: kind + MetalLB through the kind and docker CLIs", () => {
  let cluster: StandaloneCluster;
  let tools: FakeTools;
  beforeAll(async () => {
    cluster = await startStandaloneCluster({ name: "kindsim", kubeconfigPath: join(dir, "kindsim.kubeconfig"), delays: { crdEstablishedMs: 20 } });
    tools = await fakeTools(join(dir, "fakes-kind"), { kubeconfig: kindKubeconfig(cluster), network: KIND_NETWORK });
  });
  afterAll(() => cluster.stop());

  test("a missing tool is TOOL_NOT_FOUND naming it, before anything is done", async () => {
    const p = await project("lcnotools", {}, { PATH: SYSTEM_PATH, HOME: dir });
    const r = await p.run("deploy");
    expect([r.code, r.doc.error.code, r.doc.error.details.missing]).toEqual([1, "TOOL_NOT_FOUND", ["kind", "docker"]]);
    expect(r.doc.error.message).toBe("provider: local without local.kube_context (NIC creates the kind cluster test-cluster) needs kind and docker, which are not on PATH");
    const onlyKind = await fakeTools(join(dir, "fakes-only-kind"), { kubeconfig: "", tools: ["kind"] });
    const r2 = await p.run("deploy");
    expect(r2.doc.error.details.missing).toEqual(["kind", "docker"]);
    const p2 = await project("lconlykind", {}, { PATH: `${onlyKind.bin}:${SYSTEM_PATH}`, HOME: dir });
    expect((await p2.run("deploy")).doc.error.details.missing).toEqual(["docker"]);
    expect(await onlyKind.calls()).toEqual([]);

    // docker installed, its daemon down (this machine's real client answers exactly so): said before anything is created.
    const down = await fakeTools(join(dir, "fakes-daemon-down"), { kubeconfig: "" });
    await down.stopDaemon();
    const p3 = await project("lcdaemon", {}, { PATH: `${down.bin}:${SYSTEM_PATH}`, HOME: dir });
    const r3 = await p3.run("deploy");
    expect([r3.code, r3.doc.error.code, r3.doc.error.details.missing]).toEqual([1, "TOOL_NOT_FOUND", ["docker daemon"]]);
    expect(r3.doc.error.message).toBe("docker is installed but its daemon does not answer: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");
    expect(await down.calls()).toEqual(["docker version --format {{.Server.Version}}"]);
  }, 30_000);

  test("deploy creates test-cluster, applies MetalLB with the pool and stage 03; no-op; drift; destroy deletes the cluster", async () => {
    const p = await project("lckind", {}, { PATH: `${tools.bin}:${SYSTEM_PATH}`, HOME: dir });
    const first = await p.run("deploy");
    expect(first.code, first.stdout).toBe(0);
    expect(first.doc.phases.cloud.plan.summary).toEqual({ add: 1, change: 0, replace: 0, destroy: 0 });
    expect(first.doc.phases.kubernetes.plan.summary).toEqual({ add: 26, change: 0, replace: 0, destroy: 0 }); // 10 stage 03 + 16 MetalLB
    const calls = await tools.calls();
    expect(calls.filter((c) => c.includes("create"))).toEqual([expect.stringMatching(/^kind create cluster --name test-cluster --config \/\S+\/kind-config\.yaml --wait 5m$/)]);
    expect(calls).toContain("docker network inspect kind");
    expect(calls).toContain("kind get kubeconfig --name test-cluster");
    expect(await tools.kindConfigs()).toEqual([kindConfig()]);

    expect((await metallbIn(cluster)).sort()).toEqual(METALLB.sort());
    expect(await kubectl(cluster, "get", "configmap", "config", "-n", "metallb-system", "-o", "jsonpath={.data.config}")).toBe(POOL_CONFIG_172_18.trimEnd());
    expect(await kubectl(cluster, "get", "deployment", "controller", "-n", "metallb-system", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).toBe("quay.io/metallb/controller:v0.12.1");
    expect(await kubectl(cluster, "get", "namespace", "dev", "-o", "name")).toBe("namespace/dev");

    // outputs.json as Nebari's local template, and the kind kubeconfig written where kubeconfig_filename says.
    const outputs = await p.outputs();
    const kubeconfigPath = join(p.stage, "kubeconfig");
    expect(outputs.kubernetes_credentials).toEqual({ value: {
      config_path: kubeconfigPath, host: cluster.api.endpoint, cluster_ca_certificate: cluster.api.caPem,
      client_key: cluster.api.adminKeyPem, client_certificate: cluster.api.adminCertPem,
    } });
    expect(outputs.kubeconfig_filename).toEqual({ value: kubeconfigPath });
    expect(await readFile(kubeconfigPath, "utf8")).toBe(kindKubeconfig(cluster));

    const again = await p.run("deploy", "--dry-run", "--detailed-exitcode");
    expect([again.code, again.doc.has_changes]).toEqual([0, false]);
    expect((await tools.calls()).filter((c) => c.includes("create"))).toHaveLength(1);

    await kubectl(cluster, "delete", "configmap", "config", "-n", "metallb-system");
    const drift = await p.run("drift", "detect", "--detailed-exitcode");
    expect([drift.code, drift.doc.kubernetes.configmap["metallb-system/config"].status]).toEqual([2, "removed"]);
    expect((await p.run("deploy")).code).toBe(0);

    const before = (await tools.calls()).length;
    const destroyed = await p.run("destroy", "--yes");
    expect([destroyed.code, destroyed.doc.success]).toEqual([0, true]);
    expect((await tools.calls()).slice(before)).toContain("kind delete cluster --name test-cluster");
    expect(await tools.clusters()).toEqual([]);
  }, 120_000);

  test("a test-cluster NIC did not create is used and never deleted: destroy removes only what NIC applied", async () => {
    await tools.setClusters(["test-cluster"]);
    const fresh = await startStandaloneCluster({ name: "kindsim2", kubeconfigPath: join(dir, "kindsim2.kubeconfig"), delays: { crdEstablishedMs: 20 } });
    try {
      const own = await fakeTools(join(dir, "fakes-kind2"), { kubeconfig: kindKubeconfig(fresh), network: KIND_NETWORK });
      await own.setClusters(["test-cluster"]);
      const p = await project("lcadopt", {}, { PATH: `${own.bin}:${SYSTEM_PATH}`, HOME: dir });
      const refused = await p.run("deploy"); // another state may own it: never adopted silently
      expect([refused.code, refused.doc.error.code]).toEqual([1, "RESOURCE_NOT_OWNED"]);
      const first = await p.run("deploy", "--adopt-existing");
      expect(first.code, first.stdout).toBe(0);
      expect(first.doc.phases.cloud.plan.resources).toEqual([expect.objectContaining({ address: "local/kind_cluster/test-cluster", action: "no-op", adopt: true })]);
      expect((await own.calls()).some((c) => c.startsWith("kind create"))).toBe(false);
      await kubectl(fresh, "create", "namespace", "theirs");
      const destroyed = await p.run("destroy", "--yes");
      expect(destroyed.code).toBe(0);
      expect((await own.calls()).some((c) => c.startsWith("kind delete"))).toBe(false);
      expect(await own.clusters()).toEqual(["test-cluster"]);
      expect(await kubectl(fresh, "get", "crd", "-o", "name")).toBe("");
      const namespaces = (await kubectl(fresh, "get", "namespaces", "-o", "name")).split("\n");
      expect(namespaces).toContain("namespace/theirs");
      expect(namespaces).not.toContain("namespace/metallb-system");
      expect(await kubectl(fresh, "get", "clusterroles", "-l", "app.kubernetes.io/managed-by=nic", "-o", "name")).toBe("");
    } finally {
      await fresh.stop();
    }
  }, 120_000);
});

describe("provider: local with kube_context: the user's cluster, no kind", () => {
  test("with a docker kind network: MetalLB and stage 03 on the context's cluster; destroy leaves the cluster", async () => {
    const c = await startStandaloneCluster({ name: "ctx", kubeconfigPath: join(dir, "ctx.kubeconfig"), delays: { crdEstablishedMs: 20 } });
    try {
      const tools = await fakeTools(join(dir, "fakes-ctx"), { kubeconfig: "", network: KIND_NETWORK });
      const p = await project("lcctx", { kube_context: c.contexts.token }, { PATH: `${tools.bin}:${SYSTEM_PATH}`, KUBECONFIG: c.kubeconfigPath });
      const first = await p.run("deploy");
      expect(first.code, first.stdout).toBe(0);
      expect(first.doc.phases.cloud.plan.resources).toEqual([expect.objectContaining({
        address: "local/kubernetes_cluster/main", action: "no-op", adopt: true,
        note: `the cluster of kube context "${c.contexts.token}": NIC uses it and never creates or deletes it; Nebari would ignore kube_context and create the kind cluster test-cluster`,
      })]);
      expect((await metallbIn(c)).sort()).toEqual(METALLB.sort());
      expect((await tools.calls()).every((call) => call === "docker network inspect kind")).toBe(true);
      const outputs = await p.outputs();
      expect(outputs.kubernetes_credentials.value).toEqual({
        config_path: join(p.stage, "kubeconfig"), host: c.api.endpoint, cluster_ca_certificate: c.api.caPem, client_key: null, client_certificate: null,
      });
      // The kubeconfig NIC writes holds that one context, current, so Nebari's checks reach the same cluster.
      const written = await readFile(join(p.stage, "kubeconfig"), "utf8");
      expect(written).toContain(`current-context: ${c.contexts.token}`);
      expect(written).not.toContain(c.contexts.exec);
      expect((await p.run("deploy", "--dry-run", "--detailed-exitcode")).code).toBe(0);
      expect((await p.run("destroy", "--yes")).code).toBe(0);
      expect(await kubectl(c, "get", "namespaces", "-o", "name")).not.toContain("metallb-system");
      expect(await kubectl(c, "get", "namespace", "kube-system", "-o", "name")).toBe("namespace/kube-system");
    } finally {
      await c.stop();
    }
  }, 120_000);

  test("without docker: stage 03 only, no MetalLB (k3s, minikube and Docker Desktop bring their own load balancers)", async () => {
    const c = await startStandaloneCluster({ name: "ctx2", kubeconfigPath: join(dir, "ctx2.kubeconfig"), delays: { crdEstablishedMs: 20 } });
    try {
      const p = await project("lcctx2", { kube_context: c.contexts.exec }, { PATH: SYSTEM_PATH, KUBECONFIG: c.kubeconfigPath });
      const first = await p.run("deploy");
      expect(first.code, first.stdout).toBe(0);
      expect(first.doc.phases.kubernetes.plan.summary.add).toBe(10);
      expect(await kubectl(c, "get", "namespaces", "-o", "name")).not.toContain("metallb-system");
      expect((await p.run("destroy", "--yes")).code).toBe(0);
    } finally {
      await c.stop();
    }
  }, 120_000);
});
