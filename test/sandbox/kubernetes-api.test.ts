// The sandbox Kubernetes API on the wire: TLS and auth, then the semantics clients rely on (Status errors,
// optimistic concurrency, patches, selectors, server-side apply, CRDs, namespaces, load balancers, faults, watch).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startKubeApi, type KubeApiServer, type LoadBalancerEvent } from "../../sandbox/kubernetes/index.ts";

let server: KubeApiServer;
const lbEvents: LoadBalancerEvent[] = [];

beforeAll(async () => {
  server = await startKubeApi({
    name: "api-proof",
    acceptToken: (t) => t === "let-me-in",
    delays: { crdEstablishedMs: 30, workloadReadyMs: 0, namespaceDeletionMs: 0 },
    onLoadBalancer: (e) => {
      lbEvents.push(e);
      return e.action === "created" ? `a1234-${e.name}.us-east-1.elb.amazonaws.com` : undefined;
    },
  });
});
afterAll(() => server?.stop());

type Auth = { cert?: boolean; token?: string; ca?: string };
async function call(method: string, path: string, body?: unknown, opts: Auth & { contentType?: string } = { cert: true }) {
  const tls: Record<string, string> = { ca: opts.ca ?? server.caPem };
  if (opts.cert) Object.assign(tls, { cert: server.adminCertPem, key: server.adminKeyPem });
  const res = await fetch(server.endpoint + path, {
    method,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": opts.contentType ?? "application/json", ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    tls,
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith("{") ? JSON.parse(text) : text };
}

const cm = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(Object.keys(labels).length ? { labels } : {}) }, data });
const CMS = "/api/v1/namespaces/default/configmaps";
const apply = (path: string, body: unknown, query: string) => call("PATCH", `${path}?${query}`, body, { cert: true, contentType: "application/apply-patch+yaml" });

function eksToken(url: string) {
  return `k8s-aws-v1.${Buffer.from(url).toString("base64url")}`;
}
const presigned = (signedHeaders: string, action = "GetCallerIdentity") =>
  `https://sts.us-east-1.amazonaws.com/?Action=${action}&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=${encodeURIComponent(signedHeaders)}&X-Amz-Signature=${"ab".repeat(32)}`;

describe("TLS and authentication", () => {
  test("a client that trusts another CA refuses the server certificate", async () => {
    const other = await startKubeApi({ name: "other" });
    try {
      await expect(call("GET", "/api", undefined, { cert: true, ca: other.caPem })).rejects.toThrow();
    } finally {
      await other.stop();
    }
  });

  test("a client certificate signed by the cluster CA is admitted (mTLS)", async () => {
    const r = await call("GET", "/api/v1/namespaces");
    expect(r.status).toBe(200);
    expect(r.body.items.map((n: any) => n.metadata.name)).toContain("kube-system");
  });

  test("no credentials, or a client certificate from another cluster, get a 401 Status", async () => {
    const other = await startKubeApi({ name: "other" });
    try {
      const anonymous = await call("GET", "/api/v1/namespaces", undefined, {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
      const res = await fetch(`${server.endpoint}/api/v1/namespaces`, { tls: { ca: server.caPem, cert: other.adminCertPem, key: other.adminKeyPem } } as RequestInit);
      expect(res.status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  test("bearer tokens: EKS-style, the admin token and acceptToken pass; malformed ones do not", async () => {
    const ok = [eksToken(presigned("host;x-k8s-aws-id")), server.adminToken, "let-me-in"];
    for (const token of ok) expect((await call("GET", "/api/v1/namespaces", undefined, { token })).status).toBe(200);
    const bad = [
      eksToken(presigned("host")), // the cluster name is not signed
      eksToken(presigned("host;x-k8s-aws-id", "AssumeRole")),
      `k8s-aws-v2.${Buffer.from(presigned("host;x-k8s-aws-id")).toString("base64url")}`,
      "k8s-aws-v1.not-a-url",
      "let-me-out",
    ];
    for (const token of bad) expect({ token, status: (await call("GET", "/api/v1/namespaces", undefined, { token })).status }).toEqual({ token, status: 401 });
  });

  test("/version is public; discovery lists groups and resources with scope and verbs", async () => {
    const version = await call("GET", "/version", undefined, {});
    expect(version.body.gitVersion).toMatch(/^v1\.31\./);
    const groups = (await call("GET", "/apis")).body;
    expect(groups.kind).toBe("APIGroupList");
    expect(groups.groups.map((g: any) => g.name)).toEqual(expect.arrayContaining(["apps", "batch", "rbac.authorization.k8s.io", "storage.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io"]));
    const apps = (await call("GET", "/apis/apps/v1")).body;
    expect(apps.resources).toContainEqual(expect.objectContaining({ name: "deployments", namespaced: true, kind: "Deployment", shortNames: ["deploy"] }));
    const core = (await call("GET", "/api/v1")).body;
    expect(core.resources).toContainEqual(expect.objectContaining({ name: "namespaces", namespaced: false, kind: "Namespace" }));
    expect((await call("GET", "/apis/nope/v1")).status).toBe(404);
  });
});

describe("objects", () => {
  test("create fills in metadata; a duplicate is 409 AlreadyExists; a missing object is 404 NotFound", async () => {
    const created = await call("POST", CMS, cm("one", { a: "1" }));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: "one", namespace: "default" });
    expect(created.body.metadata.generation).toBeUndefined(); // as for real ConfigMaps: only workloads, CRDs and custom resources have one
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(created.body.metadata.resourceVersion)).toBeGreaterThan(0);
    const again = await call("POST", CMS, cm("one", { a: "1" }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ kind: "Status", status: "Failure", reason: "AlreadyExists", code: 409, message: 'configmaps "one" already exists', details: { name: "one", kind: "configmaps" } });
    const missing = await call("GET", `${CMS}/nope`);
    expect(missing.body).toMatchObject({ reason: "NotFound", code: 404, message: 'configmaps "nope" not found' });
    const group = await call("GET", "/apis/apps/v1/namespaces/default/deployments/nope");
    expect(group.body.details).toEqual({ name: "nope", group: "apps", kind: "deployments" });
  });

  test("update with a stale resourceVersion is 409 Conflict; with the current one it succeeds", async () => {
    const { body: v1 } = await call("POST", CMS, cm("occ", { a: "1" }));
    const { body: v2 } = await call("PUT", `${CMS}/occ`, { ...v1, data: { a: "2" } });
    expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
    const stale = await call("PUT", `${CMS}/occ`, { ...v1, data: { a: "3" } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe('Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again');
    expect((await call("GET", `${CMS}/occ`)).body.data).toEqual({ a: "2" });
    const wrongUid = await call("DELETE", `${CMS}/occ`, { kind: "DeleteOptions", apiVersion: "v1", preconditions: { uid: v1.metadata.uid.replace(/^./, "x") } });
    expect(wrongUid.body).toMatchObject({ reason: "Conflict", code: 409 });
    expect(wrongUid.body.message).toStartWith("Precondition failed: UID in precondition:");
    const deleted = await call("DELETE", `${CMS}/occ`, { kind: "DeleteOptions", apiVersion: "v1", preconditions: { uid: v1.metadata.uid } });
    expect(deleted.body).toMatchObject({ kind: "Status", status: "Success", details: { name: "occ", kind: "configmaps", uid: v1.metadata.uid } });
  });

  test("invalid names are 422 Invalid; a missing namespace is 404", async () => {
    const bad = await call("POST", CMS, cm("Bad_Name", {}));
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ reason: "Invalid", details: { name: "Bad_Name", kind: "ConfigMap", causes: [{ reason: "FieldValueInvalid", field: "metadata.name" }] } });
    expect(bad.body.message).toStartWith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain');
    const noName = await call("POST", CMS, { apiVersion: "v1", kind: "ConfigMap", metadata: {} });
    expect(noName.body.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    const nowhere = await call("POST", "/api/v1/namespaces/ghost/configmaps", cm("x", {}));
    expect(nowhere.body).toMatchObject({ code: 404, message: 'namespaces "ghost" not found' });
  });

  test("merge, strategic merge and JSON patches", async () => {
    await call("POST", CMS, cm("patched", { a: "1", b: "2" }));
    const merge = await call("PATCH", `${CMS}/patched`, { data: { a: null, c: "3" } }, { cert: true, contentType: "application/merge-patch+json" });
    expect(merge.body.data).toEqual({ b: "2", c: "3" });
    const smp = await call("PATCH", `${CMS}/patched`, { data: { d: "4" }, "$setElementOrder/x": [] }, { cert: true, contentType: "application/strategic-merge-patch+json" });
    expect(smp.body.data).toEqual({ b: "2", c: "3", d: "4" });
    const json = await call("PATCH", `${CMS}/patched`, [{ op: "replace", path: "/data/b", value: "20" }, { op: "remove", path: "/data/c" }], { cert: true, contentType: "application/json-patch+json" });
    expect(json.body.data).toEqual({ b: "20", d: "4" });
    const failed = await call("PATCH", `${CMS}/patched`, [{ op: "test", path: "/data/b", value: "nope" }], { cert: true, contentType: "application/json-patch+json" });
    expect(failed.status).toBe(422);
  });

  test("label selectors: =, !=, in, notin, exists, !exists", async () => {
    await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "labels" } });
    const path = "/api/v1/namespaces/labels/configmaps";
    await call("POST", path, cm("red", {}, { color: "red", tier: "web" }));
    await call("POST", path, cm("blue", {}, { color: "blue" }));
    await call("POST", path, cm("plain", {}));
    const names = async (selector: string) =>
      (await call("GET", `${path}?labelSelector=${encodeURIComponent(selector)}`)).body.items.map((o: any) => o.metadata.name).sort();
    expect(await names("color=red")).toEqual(["red"]);
    expect(await names("color!=red")).toEqual(["blue", "plain"]);
    expect(await names("color in (red,blue)")).toEqual(["blue", "red"]);
    expect(await names("color notin (red)")).toEqual(["blue", "plain"]);
    expect(await names("tier")).toEqual(["red"]);
    expect(await names("!color")).toEqual(["plain"]);
    expect(await names("color,tier=web")).toEqual(["red"]);
  });
});

describe("server-side apply", () => {
  const path = `${CMS}/applied`;
  test("requires a fieldManager", async () => {
    const r = await apply(path, cm("applied", { a: "1" }), "");
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply requests');
  });

  test("dryRun=All answers without storing", async () => {
    const r = await apply(path, cm("applied", { a: "1" }), "fieldManager=nic&dryRun=All");
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ a: "1" });
    expect((await call("GET", path)).status).toBe(404);
  });

  test("creates, tracks managers, reports conflicts, forces, and removes fields a manager stops applying", async () => {
    const created = await apply(path, cm("applied", { a: "1", b: "2" }), "fieldManager=nic");
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: "nic", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": { "f:a": {}, "f:b": {} } } }),
    ]);
    const rv = created.body.metadata.resourceVersion;
    await Bun.sleep(1100); // into the next second, so a careless write would show in managedFields' time
    const same = await apply(path, cm("applied", { a: "1", b: "2" }), "fieldManager=nic");
    expect(same.body.metadata.resourceVersion).toBe(rv); // no change, no write

    const conflict = await apply(path, cm("applied", { a: "other" }), "fieldManager=intruder");
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ kind: "Status", reason: "Conflict", code: 409, message: 'Apply failed with 1 conflict: conflict with "nic": .data.a',
      details: { causes: [{ type: "FieldManagerConflict", message: 'conflict with "nic"', field: ".data.a" }] } });

    const coOwned = await apply(path, cm("applied", { a: "1" }), "fieldManager=intruder");
    expect(coOwned.status).toBe(200);

    const edited = await call("PATCH", `${path}?fieldManager=kubectl-edit`, { data: { b: "edited" } }, { cert: true, contentType: "application/merge-patch+json" });
    expect(edited.status).toBe(200);
    const again = await apply(path, cm("applied", { a: "1", b: "2" }), "fieldManager=nic");
    expect(again.body.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.b');

    const forced = await apply(path, cm("applied", { a: "1", b: "2" }), "fieldManager=nic&force=true");
    expect(forced.status).toBe(200);
    expect(forced.body.data).toEqual({ a: "1", b: "2" });
    expect(forced.body.metadata.managedFields.map((m: any) => m.manager).sort()).toEqual(["intruder", "nic"]);

    const pruned = await apply(path, cm("applied", { b: "2" }), "fieldManager=nic");
    expect(pruned.body.data).toEqual({ a: "1", b: "2" }); // a is still co-owned by intruder
    await apply(path, cm("applied", {}), "fieldManager=intruder");
    const alone = await apply(path, cm("applied", {}), "fieldManager=nic");
    expect(alone.body.data ?? {}).toEqual({});
  });
});

describe("kinds with behaviour", () => {
  test("a CRD becomes Established after the delay; then its resources are served", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "tlsoptions.traefik.containo.us" },
      spec: { group: "traefik.containo.us", scope: "Namespaced", names: { kind: "TLSOption", plural: "tlsoptions", singular: "tlsoption" },
        versions: [{ name: "v1alpha1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] },
    };
    // Long enough that the GET below comes first even on a loaded machine (the default, 50 ms, is not).
    const delay = server.delays.crdEstablishedMs;
    server.delays.crdEstablishedMs = 1500;
    const created = await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).finally(() => (server.delays.crdEstablishedMs = delay));
    expect(created.status).toBe(201);
    expect(created.body.status?.conditions ?? []).toEqual([]);
    const objects = "/apis/traefik.containo.us/v1alpha1/namespaces/default/tlsoptions";
    expect((await call("GET", objects)).status).toBe(404);
    let established = false;
    for (let i = 0; i < 500 && !established; i++) {
      await Bun.sleep(20);
      const { body } = await call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tlsoptions.traefik.containo.us");
      established = body.status?.conditions?.some((c: any) => c.type === "Established" && c.status === "True");
      if (established) expect(body.status.conditions.map((c: any) => c.type)).toContain("NamesAccepted");
    }
    expect(established).toBe(true);
    const custom = await call("POST", objects, { apiVersion: "traefik.containo.us/v1alpha1", kind: "TLSOption", metadata: { name: "default" }, spec: { minVersion: "VersionTLS12" } });
    expect(custom.status).toBe(201);
    expect((await call("GET", "/apis/traefik.containo.us/v1alpha1")).body.resources).toContainEqual(expect.objectContaining({ name: "tlsoptions", kind: "TLSOption", namespaced: true }));
    const badName = await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { ...crd, metadata: { name: "wrong.example.com" } });
    expect(badName.status).toBe(422);
  });

  test("namespaces are Active; deleting one makes it Terminating, then removes it and its objects", async () => {
    const ns = await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "gone" } });
    expect(ns.body.status).toEqual({ phase: "Active" });
    expect((await call("GET", "/api/v1/namespaces/gone/status")).body.status).toEqual({ phase: "Active" });
    await call("POST", "/api/v1/namespaces/gone/configmaps", cm("inside", {}));
    // Long enough that the POST below comes while it is Terminating even on a loaded machine (200 ms was not certain).
    server.delays.namespaceDeletionMs = 1500;
    const deleting = await call("DELETE", "/api/v1/namespaces/gone");
    server.delays.namespaceDeletionMs = 0;
    expect(deleting.body.status).toEqual({ phase: "Terminating" });
    expect(deleting.body.metadata.deletionTimestamp).toBeString();
    const refused = await call("POST", "/api/v1/namespaces/gone/configmaps", cm("late", {}));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain("because it is being terminated");
    let gone = false;
    for (let i = 0; i < 500 && !gone; i++) {
      await Bun.sleep(20);
      gone = (await call("GET", "/api/v1/namespaces/gone")).status === 404;
    }
    expect(gone).toBe(true);
    expect(server.inventory().filter((o) => o.namespace === "gone")).toEqual([]);
  });

  test("a Deployment reports available replicas after the configured delay", async () => {
    server.delays.workloadReadyMs = 100;
    const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "slow" },
      spec: { replicas: 2, selector: { matchLabels: { app: "slow" } }, template: { metadata: { labels: { app: "slow" } }, spec: { containers: [{ name: "c", image: "x" }] } } } };
    const created = await call("POST", "/apis/apps/v1/namespaces/default/deployments", deploy);
    server.delays.workloadReadyMs = 0;
    expect(created.body.status?.availableReplicas).toBeUndefined();
    expect(created.body.metadata.generation).toBe(1);
    expect(created.body.spec.strategy.type).toBe("RollingUpdate");
    let available: number | undefined;
    for (let i = 0; i < 100 && available === undefined; i++) {
      await Bun.sleep(20);
      available = (await call("GET", "/apis/apps/v1/namespaces/default/deployments/slow")).body.status?.availableReplicas;
    }
    expect(available).toBe(2);
  });

  test("a LoadBalancer Service calls the hook and gets its hostname; deleting it calls the hook again", async () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "edge" }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } };
    await call("POST", "/api/v1/namespaces/default/services", svc);
    const { body } = await call("GET", "/api/v1/namespaces/default/services/edge");
    expect(body.status.loadBalancer.ingress).toEqual([{ hostname: "a1234-edge.us-east-1.elb.amazonaws.com" }]);
    expect(body.spec.clusterIP).toMatch(/^10\.100\.\d+\.\d+$/);
    await call("DELETE", "/api/v1/namespaces/default/services/edge");
    expect(lbEvents).toEqual([
      { cluster: "api-proof", namespace: "default", name: "edge", action: "created" },
      { cluster: "api-proof", namespace: "default", name: "edge", action: "deleted" },
    ]);
  });
});

describe("faults, watch and inventory", () => {
  test("429 with Retry-After, 5xx on the Nth call, and latency, per verb and resource", async () => {
    server.faults.inject({ verb: "list", resource: "secrets", status: 429, retryAfterSeconds: 3, times: 1 });
    const throttled = await call("GET", "/api/v1/namespaces/default/secrets");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("3");
    expect(throttled.body).toMatchObject({ kind: "Status", reason: "TooManyRequests", code: 429, details: { retryAfterSeconds: 3 } });
    expect((await call("GET", "/api/v1/namespaces/default/secrets")).status).toBe(200);
    expect((await call("GET", "/api/v1/namespaces/default/configmaps")).status).toBe(200);

    server.faults.inject({ verb: "create", status: 500, after: 1, times: 1 });
    expect((await call("POST", CMS, cm("first", {}))).status).toBe(201);
    const second = await call("POST", CMS, cm("second", {}));
    expect(second.body).toMatchObject({ reason: "InternalError", code: 500 });
    expect((await call("POST", CMS, cm("third", {}))).status).toBe(201);

    server.faults.inject({ verb: "get", resource: "configmaps", latencyMs: 150 });
    const started = performance.now();
    expect((await call("GET", `${CMS}/first`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140); // a lower bound: the injected delay
    server.faults.clear();
  });

  test("a watch from a list's resourceVersion sees later changes", async () => {
    const list = await call("GET", CMS);
    const controller = new AbortController();
    const res = await fetch(`${server.endpoint}${CMS}?watch=1&resourceVersion=${list.body.metadata.resourceVersion}&labelSelector=watched%3Dyes`, {
      signal: controller.signal, tls: { ca: server.caPem, cert: server.adminCertPem, key: server.adminKeyPem } } as RequestInit);
    expect(res.status).toBe(200);
    await call("POST", CMS, cm("ignored", {}));
    await call("POST", CMS, cm("watched", { v: "1" }, { watched: "yes" }));
    await call("DELETE", `${CMS}/watched`);
    const reader = res.body!.getReader();
    let text = "";
    while (text.split("\n").filter(Boolean).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const events = text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([["ADDED", "watched"], ["DELETED", "watched"]]);
  });

  test("inventory lists every object with its kind, namespace and labels", () => {
    const inventory = server.inventory();
    expect(inventory).toContainEqual({ apiVersion: "v1", kind: "Namespace", name: "default", labels: { "kubernetes.io/metadata.name": "default" } });
    expect(inventory).toContainEqual({ apiVersion: "v1", kind: "ConfigMap", namespace: "labels", name: "red", labels: { color: "red", tier: "web" } });
    expect(server.calls().some((c) => c.verb === "create" && c.resource === "configmaps" && c.status === 201)).toBe(true);
    const creates = server.calls().filter((c) => c.verb === "create" && c.resource === "configmaps").length;
    expect(server.counters()["create configmaps"]).toBe(creates);
  });
});

describe("persistence", () => {
  test("a snapshot restores certificates, objects, custom resources, field managers and the revision counter", async () => {
    const first = await startKubeApi({ name: "persisted", delays: { crdEstablishedMs: 0 } });
    const tls = { ca: first.caPem, cert: first.adminCertPem, key: first.adminKeyPem };
    const send = (s: KubeApiServer, method: string, path: string, body?: unknown, contentType = "application/json") =>
      fetch(s.endpoint + path, { method, body: body && JSON.stringify(body), headers: { "content-type": contentType }, tls } as RequestInit).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const crd = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widgets.example.com" },
      spec: { group: "example.com", scope: "Cluster", names: { kind: "Widget", plural: "widgets" }, versions: [{ name: "v1", served: true, storage: true }] } };
    await send(first, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    await send(first, "POST", "/apis/example.com/v1/widgets", { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });
    await send(first, "PATCH", `${CMS}/kept?fieldManager=nic`, cm("kept", { a: "1" }), "application/apply-patch+yaml");
    const snapshot = JSON.parse(JSON.stringify(first.snapshot()));
    const port = Number(new URL(first.endpoint).port);
    const revision = (await send(first, "GET", CMS)).body.metadata.resourceVersion;
    await first.stop();

    const second = await startKubeApi({ name: "persisted", port, restore: snapshot });
    try {
      expect(second.endpoint).toBe(first.endpoint);
      expect(second.kubeconfig("cert")).toBe(first.kubeconfig("cert"));
      expect((await send(second, "GET", "/apis/example.com/v1/widgets/w")).status).toBe(200);
      const conflict = await send(second, "PATCH", `${CMS}/kept?fieldManager=other`, cm("kept", { a: "2" }), "application/apply-patch+yaml");
      expect(conflict.body.message).toBe('Apply failed with 1 conflict: conflict with "nic": .data.a');
      const created = await send(second, "POST", CMS, cm("after", {}));
      expect(Number(created.body.metadata.resourceVersion)).toBeGreaterThan(Number(revision));
    } finally {
      await second.stop();
    }
  });
});
