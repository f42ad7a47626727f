import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { startKubeApi, type KubeApiServer } from "../../sandbox/kubernetes/index.ts";
import { KubeApiError, KubeClient, KubeTransportError, connectionFromKubeconfig, type ClusterConnection } from "../../src/kubernetes/index.ts";
import { tempDir, writeTemp } from "../helpers/files.ts";

let api: KubeApiServer;
let other: KubeApiServer;

beforeAll(async () => {
  [api, other] = await Promise.all([startKubeApi({ name: "transport" }), startKubeApi({ name: "other" })]);
});
afterAll(async () => {
  await Promise.all([api.stop(), other.stop()]);
});

const token = (value: string) => ({ token: async () => value });
const namespaces = (conn: ClusterConnection) => new KubeClient(conn).request<{ items: { metadata: { name: string } }[] }>("GET", "/api/v1/namespaces");

describe("HTTPS to the API server", () => {
  test("the cluster CA verifies the server, and a bearer token authenticates", async () => {
    const list = await namespaces({ endpoint: api.endpoint, caPem: api.caPem, auth: token(api.adminToken) });
    expect(list.items.map((n) => n.metadata.name)).toContain("kube-system");
  });

  test("a wrong CA fails the TLS handshake", async () => {
    const call = namespaces({ endpoint: api.endpoint, caPem: other.caPem, auth: token(api.adminToken) });
    await expect(call).rejects.toBeInstanceOf(KubeTransportError);
    await expect(call).rejects.toThrow(/Cannot reach the Kubernetes API/);
    await expect(call).rejects.toMatchObject({ code: expect.stringMatching(/CERT|VERIFY|SIGNATURE/) }); // refused by TLS, not by the network
  });

  test("no CA at all fails too (the sandbox CA is not a system CA)", async () => {
    await expect(namespaces({ endpoint: api.endpoint, auth: token(api.adminToken) })).rejects.toBeInstanceOf(KubeTransportError);
  });

  test("insecureSkipVerify skips verification", async () => {
    const list = await namespaces({ endpoint: api.endpoint, insecureSkipVerify: true, auth: token(api.adminToken) });
    expect(list.items.length).toBeGreaterThan(0);
  });

  test("mTLS: the admin client certificate authenticates; another cluster's certificate does not", async () => {
    const mine = await namespaces({ endpoint: api.endpoint, caPem: api.caPem, auth: { clientCertPem: api.adminCertPem, clientKeyPem: api.adminKeyPem } });
    expect(mine.items.length).toBeGreaterThan(0);
    const foreign = namespaces({ endpoint: api.endpoint, caPem: api.caPem, auth: { clientCertPem: other.adminCertPem, clientKeyPem: other.adminKeyPem } });
    await expect(foreign).rejects.toMatchObject({ status: 401 });
  });

  test("a wrong token is a 401 KubeApiError", async () => {
    const call = namespaces({ endpoint: api.endpoint, caPem: api.caPem, auth: token("not-a-token") });
    await expect(call).rejects.toBeInstanceOf(KubeApiError);
    await expect(call).rejects.toMatchObject({ status: 401 });
  });

  test("429 is retried after the server's Retry-After", async () => {
    api.faults.inject({ verb: "list", resource: "namespaces", status: 429, retryAfterSeconds: 1, times: 1 });
    try {
      const list = await namespaces({ endpoint: api.endpoint, caPem: api.caPem, auth: token(api.adminToken) });
      expect(list.items.length).toBeGreaterThan(0);
      expect(api.calls().filter((c) => c.resource === "namespaces" && c.status === 429)).toHaveLength(1);
    } finally {
      api.faults.clear();
    }
  });
});

describe("connectionFromKubeconfig", () => {
  test("CA data and client certificate data", async () => {
    const conn = await connectionFromKubeconfig(writeTemp("config", api.kubeconfig("cert")));
    expect(conn.caPem).toBe(api.caPem);
    expect("clientCertPem" in conn.auth).toBe(true);
    expect((await namespaces(conn)).items.length).toBeGreaterThan(0);
  });

  test("a token, and a named context other than the current one", async () => {
    const doc = (await import("yaml")).parse(api.kubeconfig("token"));
    doc.contexts.push({ name: "elsewhere", context: { cluster: "nowhere", user: "nobody" } });
    doc["current-context"] = "elsewhere";
    const path = writeTemp("config", stringify(doc));
    const conn = await connectionFromKubeconfig(path, "transport");
    expect((await namespaces(conn)).items.length).toBeGreaterThan(0);
    await expect(connectionFromKubeconfig(path)).rejects.toThrow(/names cluster "nowhere"/);
    await expect(connectionFromKubeconfig(path, "missing")).rejects.toThrow(/no context named "missing"/);
  });

  test("CA, certificate and key from files relative to the kubeconfig", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "ca.pem"), api.caPem);
    writeFileSync(join(dir, "admin.pem"), api.adminCertPem);
    writeFileSync(join(dir, "admin.key"), api.adminKeyPem);
    const path = writeTemp("config", stringify({
      apiVersion: "v1", kind: "Config", "current-context": "c",
      clusters: [{ name: "c", cluster: { server: api.endpoint, "certificate-authority": "ca.pem" } }],
      users: [{ name: "u", user: { "client-certificate": "admin.pem", "client-key": "admin.key" } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    }), dir);
    expect((await namespaces(await connectionFromKubeconfig(path))).items.length).toBeGreaterThan(0);
  });

  test("an exec credential plugin supplies the token, run once while it is valid", async () => {
    const dir = tempDir();
    const counter = join(dir, "runs");
    const plugin = join(dir, "get-token.sh");
    const expires = new Date(Date.now() + 3600_000).toISOString();
    writeFileSync(plugin, `#!/bin/sh\necho run >> "${counter}"\ncat <<EOF\n{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"$TOKEN","expirationTimestamp":"${expires}"}}\nEOF\n`);
    chmodSync(plugin, 0o755);
    const path = writeTemp("config", stringify({
      apiVersion: "v1", kind: "Config", "current-context": "c",
      clusters: [{ name: "c", cluster: { server: api.endpoint, "certificate-authority-data": Buffer.from(api.caPem).toString("base64") } }],
      users: [{ name: "u", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "./get-token.sh", env: [{ name: "TOKEN", value: api.adminToken }] } } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    }), dir);
    const conn = await connectionFromKubeconfig(path);
    expect((await namespaces(conn)).items.length).toBeGreaterThan(0);
    expect((await namespaces(conn)).items.length).toBeGreaterThan(0);
    expect((await Bun.file(counter).text()).trim().split("\n")).toHaveLength(1);
  });

  test("a user with nothing to authenticate with is an INPUT_INVALID error", async () => {
    const path = writeTemp("config", stringify({
      "current-context": "c", clusters: [{ name: "c", cluster: { server: api.endpoint } }],
      users: [{ name: "u", user: {} }], contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    }));
    await expect(connectionFromKubeconfig(path)).rejects.toMatchObject({ code: "INPUT_INVALID" });
  });
});
