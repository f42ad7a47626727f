// provider: existing, end to end on the compiled binary against the sandbox's standalone cluster, through a kubeconfig
// context of each auth kind: deploy → 0 changes → drift after a kubectl change → destroy, which leaves the cluster and
// everything NIC did not apply. kubectl (an independent client) checks what is in the cluster.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AUTH_KINDS, startStandaloneCluster, type StandaloneCluster } from "../../sandbox/kubernetes/standalone.ts";
import { nicAsync, requireBinary } from "../helpers/binary.ts";

const KUBECTL = Bun.which("kubectl");
const TRAEFIK_CRDS = ["ingressroutes", "ingressroutetcps", "ingressrouteudps", "middlewares", "middlewaretcps", "serverstransports", "tlsoptions", "tlsstores", "traefikservices"]
  .map((p) => `${p}.traefik.containo.us`);
let dir: string;
let cluster: StandaloneCluster;

beforeAll(async () => {
  requireBinary();
  if (!KUBECTL) throw new Error("kubectl is not installed on this machine: the proof cannot run (it never skips)");
  dir = await mkdtemp(join(tmpdir(), "nic-existing-"));
  cluster = await startStandaloneCluster({ name: "sandbox", kubeconfigPath: join(dir, ".kube", "config"), delays: { crdEstablishedMs: 20 } });
});
afterAll(async () => {
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]) {
  const proc = Bun.spawn([KUBECTL!, `--kubeconfig=${cluster.kubeconfigPath}`, `--cache-dir=${join(dir, "cache")}`, "--context", cluster.contexts.cert, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${stderr}`);
  return stdout.trim();
}

async function project(name: string, context: string, env: Record<string, string> = { KUBECONFIG: cluster.kubeconfigPath }) {
  const folder = join(dir, name);
  const config = join(folder, "nebari-config.yaml");
  await Bun.write(config, `project_name: ${name}\nprovider: existing\nnamespace: dev\nexisting:\n  kube_context: ${context}\n`);
  const run = async (...args: string[]) => {
    const r = await nicAsync([...args, "-f", config, "--format", "json"], env, folder);
    return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : undefined };
  };
  return { folder, run, outputs: async () => JSON.parse(await readFile(join(folder, ".nebari/stages/02-infrastructure/outputs.json"), "utf8")) };
}

describe("provider: existing, end to end through each kubeconfig auth kind", () => {
  for (const kind of AUTH_KINDS) {
    test(`${kind}: deploy, no-op, drift, destroy`, async () => {
      const context = cluster.contexts[kind];
      // What NIC did not apply and must leave alone.
      await kubectl("create", "namespace", `theirs-${kind}`);
      await kubectl("create", "configmap", `theirs-${kind}`, "-n", "default", "--from-literal=a=b");
      const p = await project(`ex${kind}`, context);

      const first = await p.run("deploy");
      expect([first.code, first.stderr.includes('"level":"error"')]).toEqual([0, false]);
      expect(first.doc.phases.cloud.plan.summary).toEqual({ add: 0, change: 0, replace: 0, destroy: 0 });
      expect(first.doc.phases.kubernetes.plan.summary).toEqual({ add: 10, change: 0, replace: 0, destroy: 0 });
      expect(await kubectl("get", "namespace", "dev", "-o", "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}")).toBe("nic");
      expect((await kubectl("get", "crd", "-l", "app.kubernetes.io/managed-by=nic", "-o", "name")).split("\n").sort())
        .toEqual(TRAEFIK_CRDS.map((c) => `customresourcedefinition.apiextensions.k8s.io/${c}`));

      // outputs.json as Nebari's existing template writes it, with the kubeconfig NIC read.
      const outputs = await p.outputs();
      expect(outputs.kubernetes_credentials).toEqual({ value: { config_path: cluster.kubeconfigPath, config_context: context } });
      expect(outputs.kubeconfig_filename).toEqual({ value: cluster.kubeconfigPath });
      expect(outputs.node_selectors).toEqual(Object.fromEntries(["general", "user", "worker"].map((g) => [g, { key: "kubernetes.io/os", value: "linux" }])));

      const status = await p.run("status");
      expect([status.code, status.doc.healthy, status.doc.cluster]).toEqual([0, true, { address: "existing/kubernetes_cluster/main", name: context, endpoint: cluster.api.endpoint }]);

      const again = await p.run("deploy", "--dry-run", "--detailed-exitcode");
      expect([again.code, again.doc.has_changes]).toEqual([0, false]);

      await kubectl("delete", "crd", "tlsstores.traefik.containo.us");
      const drift = await p.run("drift", "detect", "--detailed-exitcode");
      expect([drift.code, drift.doc.has_drift]).toEqual([2, true]);
      expect(drift.doc.kubernetes.customresourcedefinition["tlsstores.traefik.containo.us"].status).toBe("removed");
      expect(drift.doc.kubernetes.namespace.dev.status).toBe("in-sync");

      const deletesBefore = cluster.api.calls().length;
      const destroyed = await p.run("destroy", "--yes");
      expect([destroyed.code, destroyed.doc.success]).toEqual([0, true]);
      // Only what NIC applied was deleted (the drifted CRD was already gone).
      const deletes = cluster.api.calls().slice(deletesBefore).filter((c) => c.verb === "delete");
      expect(deletes.map((c) => c.name).sort()).toEqual(["dev", ...TRAEFIK_CRDS.filter((c) => !c.startsWith("tlsstores"))].sort());
      expect(await kubectl("get", "crd", "-o", "name")).toBe("");
      const namespaces = (await kubectl("get", "namespaces", "-o", "name")).split("\n");
      expect(namespaces).toContain(`namespace/theirs-${kind}`);
      expect(namespaces).toContain("namespace/kube-system");
      expect(namespaces).not.toContain("namespace/dev");
      expect(await kubectl("get", "configmap", `theirs-${kind}`, "-n", "default", "-o", "name")).toBe(`configmap/theirs-${kind}`);
      const state = JSON.parse(await readFile(join(p.folder, ".nebari/stages/02-infrastructure/nic-state.json"), "utf8"));
      expect(state.resources).toEqual({});
    }, 90_000);
  }

  test("destroy refuses to delete a namespace that holds workloads NIC did not apply, and deletes nothing of theirs", async () => {
    const p = await project("exforeign", cluster.contexts.token);
    expect((await p.run("deploy")).code).toBe(0);
    await kubectl("create", "deployment", "theirs", "-n", "dev", "--image=busybox");
    const destroyed = await p.run("destroy", "--yes");
    expect([destroyed.code, destroyed.doc.error.code]).toEqual([1, "DESTROY_INCOMPLETE"]);
    expect(destroyed.doc.error.message).toContain("k8s/namespace/_cluster/dev");
    expect(await kubectl("get", "deployment", "theirs", "-n", "dev", "-o", "name")).toBe("deployment.apps/theirs");
    // --force does not make NIC forget what it could not delete: the namespace and the context stay in state.
    const forced = await p.run("destroy", "--yes", "--force");
    expect([forced.code, forced.doc.error.details.left]).toEqual([1, ["existing/kubernetes_cluster/main", "k8s/namespace/_cluster/dev"]]);
    await kubectl("delete", "deployment", "theirs", "-n", "dev");
    expect((await p.run("destroy", "--yes")).code).toBe(0);
  }, 90_000);
});

describe("provider: existing through a real credential plugin", () => {
  test("aws eks get-token (the aws CLI) as the kubeconfig's exec plugin: deploy and destroy", async () => {
    if (!Bun.which("aws")) throw new Error("the aws CLI is not installed (.ci/run installs Debian's awscli): the proof cannot run (it never skips)");
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    const kubeconfig = join(dir, "aws-exec.kubeconfig");
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: "v1", kind: "Config", "current-context": "eks",
      clusters: [{ name: "eks", cluster: { server: cluster.api.endpoint, "certificate-authority-data": b64(cluster.api.caPem) } }],
      contexts: [{ name: "eks", context: { cluster: "eks", user: "eks" } }],
      // As `aws eks update-kubeconfig` writes it; the sandbox accepts the presigned-STS token the CLI makes offline.
      users: [{ name: "eks", user: { exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "sandbox", "--region", "us-west-2"],
        env: [{ name: "AWS_ACCESS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" }, { name: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }],
      } } }],
    }));
    const p = await project("exaws", "eks", { KUBECONFIG: kubeconfig });
    const deployed = await p.run("deploy");
    expect([deployed.code, deployed.doc.success]).toEqual([0, true]);
    expect(await kubectl("get", "namespace", "dev", "-o", "name")).toBe("namespace/dev");
    expect((await p.run("destroy", "--yes")).code).toBe(0);
    expect(await kubectl("get", "crd", "-o", "name")).toBe("");
  }, 60_000);
});

describe("provider: existing through gke-gcloud-auth-plugin", () => {
  test("the GKE credential plugin (offline, with CLOUDSDK_AUTH_ACCESS_TOKEN) as the kubeconfig's exec plugin", async () => {
    if (!Bun.which("gke-gcloud-auth-plugin")) throw new Error("gke-gcloud-auth-plugin is not installed (it comes with gcloud): the proof cannot run (it never skips)");
    // The sandbox accepts the token its own plugin script hands out; the GKE plugin is given that token to pass on.
    const token = JSON.parse(Bun.spawnSync([`${cluster.kubeconfigPath}.credential.sh`]).stdout.toString()).status.token;
    const kubeconfig = join(dir, "gke-exec.kubeconfig");
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: "v1", kind: "Config", "current-context": "gke",
      clusters: [{ name: "gke", cluster: { server: cluster.api.endpoint, "certificate-authority-data": Buffer.from(cluster.api.caPem).toString("base64") } }],
      contexts: [{ name: "gke", context: { cluster: "gke", user: "gke" } }],
      // As `gcloud container clusters get-credentials` writes it.
      users: [{ name: "gke", user: { exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin", provideClusterInfo: true, interactiveMode: "IfAvailable",
        env: [{ name: "CLOUDSDK_AUTH_ACCESS_TOKEN", value: token }, { name: "CLOUDSDK_CONFIG", value: join(dir, "gcloud-config") }],
      } } }],
    }));
    const p = await project("exgke", "gke", { KUBECONFIG: kubeconfig });
    const deployed = await p.run("deploy");
    expect([deployed.code, deployed.doc.success]).toEqual([0, true]);
    expect((await p.run("destroy", "--yes")).code).toBe(0);
    expect(await kubectl("get", "crd", "-o", "name")).toBe("");
  }, 60_000);
});

describe("provider: existing, errors that name the context", () => {
  test("a context no kubeconfig defines", async () => {
    const p = await project("exmissing", "no-such-context");
    const r = await p.run("deploy");
    expect([r.code, r.doc.error.code]).toEqual([3, "INPUT_INVALID"]);
    expect(r.doc.error.message).toBe(`The kube context "no-such-context" is not in ${cluster.kubeconfigPath}`);
  }, 30_000);

  test("KUBECONFIG unset: ~/.kube/config is read, and outputs name it as Nebari does (else the error names where NIC looked)", async () => {
    const p = await project("exhome", cluster.contexts.cert, { HOME: dir });
    expect((await p.run("deploy")).code).toBe(0);
    const path = join(dir, ".kube", "config");
    expect((await p.outputs()).kubernetes_credentials).toEqual({ value: { config_path: path, config_context: "sandbox" } });
    expect((await p.run("destroy", "--yes")).code).toBe(0);
    const missing = await project("exnohome", cluster.contexts.cert, { HOME: join(dir, "nowhere") });
    const m = await missing.run("deploy", "--dry-run");
    expect(m.doc.error.message).toBe(`The kube context "sandbox" is not in ${join(dir, "nowhere", ".kube", "config")}`);
  }, 30_000);

  test("insecure-skip-tls-verify is honoured only where the kubeconfig says so", async () => {
    const withoutFlag = join(dir, "no-skip.kubeconfig");
    await writeFile(withoutFlag, (await readFile(cluster.kubeconfigPath, "utf8")).replace("insecure-skip-tls-verify: true", "insecure-skip-tls-verify: false"));
    const p = await project("exinsecure", cluster.contexts.insecure, { KUBECONFIG: withoutFlag });
    const r = await p.run("deploy", "--dry-run");
    expect([r.code, r.doc.error.code]).toEqual([1, "READ_FAILED"]);
    expect(r.doc.error.message).toContain(`kube context "${cluster.contexts.insecure}"`);
    expect(r.doc.error.message).toMatch(/certificate/i);
  }, 30_000);

  test("a cluster that does not answer", async () => {
    const gone = join(dir, "gone.kubeconfig");
    await writeFile(gone, (await readFile(cluster.kubeconfigPath, "utf8")).replaceAll(cluster.api.endpoint, "https://127.0.0.1:1"));
    const p = await project("exgone", cluster.contexts.token, { KUBECONFIG: gone });
    const r = await p.run("deploy");
    expect([r.code, r.doc.error.code]).toEqual([1, "READ_FAILED"]);
    expect(r.doc.error.message).toStartWith(`The Kubernetes API of kube context "${cluster.contexts.token}" (https://127.0.0.1:1, from ${gone}) does not answer`);
  }, 30_000);
});
