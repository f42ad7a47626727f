// The sandbox's standalone cluster for `provider: existing`: kubectl (an independent client) reaches it through every
// context of the one kubeconfig, and `bun sandbox/main.ts` prints that kubeconfig as NIC_SANDBOX_KUBECONFIG.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AUTH_KINDS, startStandaloneCluster, type StandaloneCluster } from "../../sandbox/kubernetes/standalone.ts";

const KUBECTL = Bun.which("kubectl");
let dir: string;
let cluster: StandaloneCluster;

beforeAll(async () => {
  if (!KUBECTL) throw new Error("kubectl is not installed on this machine: the proof cannot run (it never skips)");
  dir = await mkdtemp(join(tmpdir(), "existing-cluster-"));
  cluster = await startStandaloneCluster({ name: "sandbox", kubeconfigPath: join(dir, "sandbox.kubeconfig") });
});
afterAll(async () => {
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function kubectl(kubeconfig: string, args: string[]) {
  const proc = Bun.spawn([KUBECTL!, `--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, "cache")}`, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

describe("the standalone sandbox cluster", () => {
  for (const kind of AUTH_KINDS) {
    test(`kubectl lists namespaces through the ${kind} context`, async () => {
      const before = cluster.api.calls().length;
      const r = await kubectl(cluster.kubeconfigPath, ["--context", cluster.contexts[kind], "get", "ns", "kube-system", "-o", "name"]);
      expect([r.code, r.stdout.trim(), r.stderr]).toEqual([0, "namespace/kube-system", ""]);
      expect(cluster.api.calls().slice(before).some((c) => c.resource === "namespaces" && c.status === 200)).toBe(true);
    }, 30_000);
  }

  test("the kubeconfig is private and the exec context's token comes only from its plugin", async () => {
    expect((await stat(cluster.kubeconfigPath)).mode & 0o777).toBe(0o600);
    const text = await Bun.file(cluster.kubeconfigPath).text();
    expect(text).not.toContain("exec-"); // the plugin's token is in the plugin, not in the kubeconfig
    const out = Bun.spawnSync([`${cluster.kubeconfigPath}.credential.sh`]).stdout.toString();
    expect(JSON.parse(out)).toMatchObject({ kind: "ExecCredential", status: { token: expect.stringMatching(/^exec-/) } });
  });

  test("a wrong token is refused (the server checks what it is given)", async () => {
    const bad = join(dir, "bad.kubeconfig");
    await Bun.write(bad, (await Bun.file(cluster.kubeconfigPath).text()).replace(cluster.api.adminToken, "not-the-token"));
    const r = await kubectl(bad, ["--context", cluster.contexts.token, "get", "ns"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|credentials/i);
  }, 30_000);
});

describe("make sandbox", () => {
  test("bun sandbox/main.ts prints NIC_SANDBOX_KUBECONFIG, and kubectl uses it with one export", async () => {
    const kubeconfig = join(dir, "from-main.kubeconfig");
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../sandbox/main.ts"), "--kubeconfig", kubeconfig], { stdout: "pipe", stderr: "pipe" });
    try {
      const reader = proc.stdout.getReader();
      let out = "";
      while (!out.includes("NIC_SANDBOX_CONTROL")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`sandbox/main.ts exited early: ${out}`);
        out += new TextDecoder().decode(value);
      }
      expect(out).toContain(`export NIC_SANDBOX_KUBECONFIG=${JSON.stringify(kubeconfig)}`);
      const r = await kubectl(kubeconfig, ["get", "ns", "default", "-o", "name"]);
      expect([r.code, r.stdout.trim()]).toEqual([0, "namespace/default"]);
    } finally {
      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    }
  }, 60_000);
});
