// What NIC says while it works, as a new user reads it on the compiled binary: destroy on a cluster NIC did not create
// forgets it (never "Deleting"), drift names the cluster for Kubernetes objects, and a failed read names the provider's
// own credential sources.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStandaloneCluster, type StandaloneCluster } from "../../sandbox/kubernetes/standalone.ts";
import { readFailedHint } from "../../src/cli/credentials.ts";
import { nicAsync, requireBinary } from "../helpers/binary.ts";

let dir: string;
let cluster: StandaloneCluster;

beforeAll(async () => {
  requireBinary();
  dir = await mkdtemp(join(tmpdir(), "nic-wording-"));
  cluster = await startStandaloneCluster({ name: "sandbox", kubeconfigPath: join(dir, ".kube", "config"), delays: { crdEstablishedMs: 20 } });
});
afterAll(async () => {
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("provider existing: drift says 'gone from the cluster' for a Kubernetes object; destroy forgets the cluster, never 'Deleting' it", async () => {
  const config = join(dir, "nebari-config.yaml");
  await Bun.write(config, `project_name: wording\nprovider: existing\nnamespace: dev\nexisting:\n  kube_context: ${cluster.contexts.cert}\n`);
  const env = { KUBECONFIG: cluster.kubeconfigPath };
  const run = (...args: string[]) => nicAsync([...args, "-f", config], env, dir);
  expect((await run("deploy")).code).toBe(0);

  const crd = "tlsstores.traefik.containo.us";
  // Spawned, not spawnSync: this process serves the cluster's API.
  const kubectl = Bun.spawn(["kubectl", `--kubeconfig=${cluster.kubeconfigPath}`, `--cache-dir=${join(dir, "cache")}`, "--context", cluster.contexts.cert, "delete", "crd", crd], { stderr: "pipe" });
  expect(await kubectl.exited, await new Response(kubectl.stderr).text()).toBe(0);
  const diff = await run("drift", "diff");
  expect(diff.stdout).toContain(`@@ k8s/customresourcedefinition/_cluster/${crd} @@\n-(the whole resource: in state, gone from the cluster)`);
  expect(diff.stdout).not.toContain("gone from the cloud");

  const destroyed = await run("destroy", "--yes");
  expect(destroyed.code, destroyed.stderr).toBe(0);
  expect(destroyed.stderr).toContain("info: Forgetting existing/kubernetes_cluster/main (NIC never deletes a cluster it did not create)");
  expect(destroyed.stderr).not.toContain("Deleting existing/");
  expect(destroyed.stderr).not.toContain("Deleted existing/");
}, 90_000);

test("a failed read names the provider's own credential sources", () => {
  expect(readFailedHint("aws")).toContain("AWS_PROFILE");
  expect(readFailedHint("gcp")).toContain("GOOGLE_APPLICATION_CREDENTIALS");
  expect(readFailedHint("gcp")).toContain("gcloud auth application-default login");
  expect(readFailedHint("azure")).toContain("AZURE_CLIENT_ID");
  expect(readFailedHint("azure")).toContain("az login");
  for (const provider of ["existing", "local"]) {
    expect(readFailedHint(provider)).toContain("KUBECONFIG");
    expect(readFailedHint(provider)).toContain("kube_context");
  }
  for (const provider of ["gcp", "azure", "existing", "local"]) expect(readFailedHint(provider)).not.toContain("AWS");
});
