// @kubernetes/client-node 2.0.1 against the sandbox, over the Bun transport (bun-lab §4.4 workaround A):
// the kubeconfig's CA and client certificate must reach the TLS layer.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ApiException, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { makeApiClientBun } from "../../sandbox/kubernetes/bun-transport.ts";
import { startKubeApi, type KubeApiServer } from "../../sandbox/kubernetes/index.ts";

let server: KubeApiServer;
let other: KubeApiServer;

beforeAll(async () => {
  [server, other] = await Promise.all([startKubeApi({ name: "client-node-proof" }), startKubeApi({ name: "other" })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), other?.stop()]);
});

function kubeConfig(yaml: string) {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}

describe("client-node over the Bun transport", () => {
  test("CA data and a client certificate from the kubeconfig authenticate (mTLS)", async () => {
    const core = makeApiClientBun(kubeConfig(server.kubeconfig("cert")), CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain("kube-system");
  });

  test("a bearer token from the kubeconfig authenticates", async () => {
    const core = makeApiClientBun(kubeConfig(server.kubeconfig("token")), CoreV1Api);
    const ns = await core.readNamespace({ name: "default" });
    expect(ns.status?.phase).toBe("Active");
  });

  test("a kubeconfig with another cluster's CA is refused by TLS verification", async () => {
    const wrongCa = server.kubeconfig("cert").replace(
      Buffer.from(server.caPem).toString("base64"), Buffer.from(other.caPem).toString("base64"));
    expect(wrongCa).not.toBe(server.kubeconfig("cert"));
    const core = makeApiClientBun(kubeConfig(wrongCa), CoreV1Api);
    await expect(core.listNamespace()).rejects.toThrow(/certificate/i);
  });

  test("without the client certificate the server answers 401 as an ApiException", async () => {
    const noCert = kubeConfig(server.kubeconfig("token", "wrong"));
    const error = await makeApiClientBun(noCert, CoreV1Api).listNamespace().catch((e) => e);
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<unknown>).code).toBe(401);
  });

  test("create, read, 404 and server-side apply with conflicts through the generated clients", async () => {
    const kc = kubeConfig(server.kubeconfig("cert"));
    const core = makeApiClientBun(kc, CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "made" }, data: { a: "1" } } });
    expect((await core.readNamespacedConfigMap({ namespace: "default", name: "made" })).data).toEqual({ a: "1" });
    const missing = await core.readNamespacedConfigMap({ namespace: "default", name: "absent" }).catch((e) => e);
    expect((missing as ApiException<string>).code).toBe(404);
    expect(JSON.parse((missing as ApiException<string>).body).reason).toBe("NotFound");

    const objects = makeApiClientBun(kc, KubernetesObjectApi);
    const desired: KubernetesObject & { data: Record<string, string> } = {
      apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owned", namespace: "default" }, data: { color: "blue" } };
    const applied = await objects.patch(desired, undefined, undefined, "nic", false, PatchStrategy.ServerSideApply);
    expect(applied.metadata?.managedFields?.[0]?.manager).toBe("nic");
    const conflict = await objects.patch({ ...desired, data: { color: "red" } }, undefined, undefined, "someone-else", false, PatchStrategy.ServerSideApply).catch((e) => e);
    expect((conflict as ApiException<string>).code).toBe(409);
    expect((conflict as ApiException<string>).body).toContain('Apply failed with 1 conflict: conflict with \\"nic\\": .data.color');
  });
});
