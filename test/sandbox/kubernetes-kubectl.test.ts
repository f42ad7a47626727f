// Proof by an independent client: the real kubectl talks to the sandbox Kubernetes API through generated kubeconfigs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKubeApi, type KubeApiServer } from "../../sandbox/kubernetes/index.ts";

const KUBECTL = Bun.which("kubectl");
let server: KubeApiServer;
let dir: string;

beforeAll(async () => {
  if (!KUBECTL) throw new Error("kubectl is not installed on this machine: the kubectl proof cannot run (it never skips)");
  server = await startKubeApi({ name: "kubectl-proof", delays: { crdEstablishedMs: 100 } });
  dir = await mkdtemp(join(tmpdir(), "kubectl-proof-"));
  await Bun.write(join(dir, "cert.kubeconfig"), server.kubeconfig("cert"));
  await Bun.write(join(dir, "token.kubeconfig"), server.kubeconfig("token"));
  await Bun.write(join(dir, "bad-token.kubeconfig"), server.kubeconfig("token", "not-a-valid-token"));
  await Bun.write(join(dir, "eks.kubeconfig"), server.kubeconfig("token", eksToken("kubectl-proof")));
});

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An `aws eks get-token`-shaped token: a presigned STS GetCallerIdentity URL that signs x-k8s-aws-id. */
function eksToken(clusterName: string) {
  const q = new URLSearchParams({
    Action: "GetCallerIdentity", Version: "2011-06-15", "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": "AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request", "X-Amz-Date": "20260101T000000Z",
    "X-Amz-Expires": "60", "X-Amz-SignedHeaders": "host;x-k8s-aws-id", "X-Amz-Signature": "0".repeat(64),
  });
  void clusterName; // the cluster name travels in the signed header, not in the URL
  return `k8s-aws-v1.${Buffer.from(`https://sts.us-east-1.amazonaws.com/?${q}`).toString("base64url")}`;
}

async function kubectl(args: string[], opts: { user?: string; stdin?: string } = {}) {
  const proc = Bun.spawn([KUBECTL!, `--kubeconfig=${join(dir, `${opts.user ?? "cert"}.kubeconfig`)}`, `--cache-dir=${join(dir, "cache")}`, ...args], {
    stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

const configMap = (name: string, data: Record<string, string>) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", labels: { proof: "kubectl" } }, data });

describe("kubectl against the sandbox Kubernetes API", () => {
  test("get ns with a client-certificate user, a static token, and an EKS token", async () => {
    for (const user of ["cert", "token", "eks"]) {
      const r = await kubectl(["get", "ns"], { user });
      expect({ user, code: r.code, stderr: r.stderr }).toEqual({ user, code: 0, stderr: "" });
      expect(r.stdout).toMatch(/^NAME\s+STATUS\s+AGE/);
      expect(r.stdout).toMatch(/\ndefault\s+Active\s/);
      expect(r.stdout).toMatch(/\nkube-system\s+Active\s/);
    }
  }, 30_000);

  test("an unknown bearer token is refused with 401", async () => {
    const r = await kubectl(["get", "ns"], { user: "bad-token" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Unauthorized");
  }, 30_000);

  test("client-side apply creates, then patches; delete removes", async () => {
    let r = await kubectl(["apply", "-f", "-"], { stdin: configMap("csa", { color: "blue" }) });
    expect([r.code, r.stdout.trim()]).toEqual([0, "configmap/csa created"]);
    r = await kubectl(["apply", "-f", "-"], { stdin: configMap("csa", { color: "red" }) });
    expect([r.code, r.stdout.trim()]).toEqual([0, "configmap/csa configured"]);
    r = await kubectl(["get", "cm", "csa", "-o", "jsonpath={.data.color}"]);
    expect([r.code, r.stdout]).toEqual([0, "red"]);
    r = await kubectl(["get", "cm", "-l", "proof=kubectl", "-o", "name"]);
    expect(r.stdout.split("\n")).toContain("configmap/csa");
    r = await kubectl(["delete", "cm", "csa"]);
    expect([r.code, r.stdout.trim()]).toEqual([0, 'configmap "csa" deleted']);
    r = await kubectl(["get", "cm", "csa"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('configmaps "csa" not found');
  }, 30_000);

  test("server-side apply: a second field manager conflicts, then takes the field with --force-conflicts", async () => {
    let r = await kubectl(["apply", "--server-side", "--field-manager=alice", "-f", "-"], { stdin: configMap("ssa", { color: "blue", size: "large" }) });
    expect([r.code, r.stdout.trim()]).toEqual([0, "configmap/ssa serverside-applied"]);
    r = await kubectl(["apply", "--server-side", "--field-manager=bob", "-f", "-"], { stdin: configMap("ssa", { color: "green" }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "alice": .data.color');
    r = await kubectl(["get", "cm", "ssa", "-o", "jsonpath={.data.color}"]);
    expect(r.stdout).toBe("blue");
    r = await kubectl(["apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", "-"], { stdin: configMap("ssa", { color: "green" }) });
    expect([r.code, r.stdout.trim()]).toEqual([0, "configmap/ssa serverside-applied"]);
    r = await kubectl(["get", "cm", "ssa", "-o", "json", "--show-managed-fields"]);
    const cm = JSON.parse(r.stdout);
    expect(cm.data).toEqual({ color: "green", size: "large" });
    const owned = Object.fromEntries(cm.metadata.managedFields.map((m: any) => [m.manager, Object.keys(m.fieldsV1["f:data"] ?? {}).sort()]));
    expect(owned.alice).toEqual(["f:size"]);
    expect(owned.bob).toEqual(["f:color"]);
  }, 30_000);

  test("server-side apply of a CRD, waiting for Established, then a custom object; api-resources lists both", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "middlewares.traefik.containo.us" },
      spec: { group: "traefik.containo.us", scope: "Namespaced", names: { kind: "Middleware", listKind: "MiddlewareList", plural: "middlewares", singular: "middleware" },
        versions: [{ name: "v1alpha1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }] },
    };
    let r = await kubectl(["apply", "--server-side", "-f", "-"], { stdin: JSON.stringify(crd) });
    expect(r.code).toBe(0);
    r = await kubectl(["wait", "--for=condition=Established", "crd/middlewares.traefik.containo.us", "--timeout=20s"]);
    expect([r.code, r.stdout.trim()]).toEqual([0, "customresourcedefinition.apiextensions.k8s.io/middlewares.traefik.containo.us condition met"]);
    const middleware = { apiVersion: "traefik.containo.us/v1alpha1", kind: "Middleware", metadata: { name: "strip", namespace: "default" }, spec: { stripPrefix: { prefixes: ["/x"] } } };
    r = await kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(middleware) });
    expect([r.code, r.stdout.trim()]).toEqual([0, "middleware.traefik.containo.us/strip created"]);
    r = await kubectl(["api-resources"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").map((line) => line.trim().split(/\s+/));
    expect(rows[0]).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    expect(rows).toContainEqual(["deployments", "deploy", "apps/v1", "true", "Deployment"]);
    expect(rows).toContainEqual(["customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false", "CustomResourceDefinition"]);
    expect(rows).toContainEqual(["middlewares", "traefik.containo.us/v1alpha1", "true", "Middleware"]);
  }, 60_000);

  test("deleting a namespace removes what it holds", async () => {
    const objects = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed" } },
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "worker", namespace: "doomed" } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "doomed" },
        spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } } } },
    ];
    let r = await kubectl(["apply", "--server-side", "-f", "-"], { stdin: objects.map((o) => JSON.stringify(o)).join("\n") });
    expect(r.code).toBe(0);
    r = await kubectl(["rollout", "status", "deployment/web", "-n", "doomed", "--timeout=20s"]);
    expect([r.code, r.stdout.trim()]).toEqual([0, 'deployment "web" successfully rolled out']);
    r = await kubectl(["delete", "ns", "doomed", "--timeout=20s"]);
    expect([r.code, r.stdout.trim()]).toEqual([0, 'namespace "doomed" deleted']);
    r = await kubectl(["get", "ns", "doomed"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('namespaces "doomed" not found');
    expect(server.inventory().filter((o) => o.namespace === "doomed")).toEqual([]);
  }, 60_000);
});

describe("the standalone cluster command", () => {
  test("bun sandbox/kubernetes/main.ts writes a kubeconfig that kubectl uses", async () => {
    const path = join(dir, "standalone.kubeconfig");
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../sandbox/kubernetes/main.ts"), "--name", "standalone", "--kubeconfig", path], { stdout: "pipe", stderr: "inherit" });
    try {
      const reader = proc.stdout.getReader();
      let out = "";
      while (!out.includes("export KUBECONFIG=")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`main.ts exited early: ${out}`);
        out += new TextDecoder().decode(value);
      }
      expect(out).toContain(`kubeconfig written to ${path}`);
      const r = await kubectl(["get", "ns", "kube-system", "-o", "name"], { user: "standalone" });
      expect([r.code, r.stdout.trim()]).toEqual([0, "namespace/kube-system"]);
    } finally {
      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    }
  }, 30_000);
});
