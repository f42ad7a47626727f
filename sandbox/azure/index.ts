// The ARM sandbox: one HTTPS port serving Azure AD (token endpoints), ARM metadata, resource groups, AKS and ACR,
// on the world the AWS emulator shares (one inventory, call log, fault rules and delays). See sandbox/README.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallLog } from "../calls.ts";
import type { Faults } from "../faults.ts";
import { makeCerts } from "../kubernetes/certs.ts";
import { startKubeApi } from "../kubernetes/index.ts";
import { AwsError } from "../protocols/errors.ts";
import type { World } from "../world.ts";
import { acrRoutes } from "./acr.ts";
import { aks, type AksRuntime, type ClusterRecord } from "./aks.ts";
import { ArmError, CLIENT_ID, CLIENT_SECRET, compile, SUBSCRIPTION_ID, TENANT_ID, type Reply, type Route } from "./arm.ts";
import { contents, GROUP, groupRoutes } from "./groups.ts";
import { FORM_ROUTES, identityRoutes, validToken } from "./identity.ts";
import { skuRoutes } from "./skus.ts";
import { AZURE_DELAYS, Lifecycle } from "./lifecycle.ts";
import { CLUSTER } from "./pools.ts";

export interface AzureSandboxOptions {
  world: World;
  calls: CallLog;
  faults: Faults;
  port?: number;
}

export interface AzureSandbox {
  /** https://127.0.0.1:PORT — ARM and the Azure AD authority. */
  endpoint: string;
  caPem: string;
  /** The system CAs plus the sandbox CA (what REQUESTS_CA_BUNDLE and NODE_EXTRA_CA_CERTS point at). */
  caBundleFile: string;
  env: Record<string, string>;
  settle(): void;
  stopKubeApis(): Promise<void>;
  stop(): Promise<void>;
}

const SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt";

export async function startAzure(opts: AzureSandboxOptions): Promise<AzureSandbox> {
  const { world, calls, faults } = opts;
  for (const [name, ms] of Object.entries(AZURE_DELAYS)) if (!(name in world.delays)) (world.delays as Record<string, number>)[name] = ms;
  const certs = await makeCerts("nic-sandbox-arm");
  let base = "";
  const lifecycle = new Lifecycle(world, () => base);
  const runtime: AksRuntime = { startKubeApi, kubeApis: new Map() };
  const clusters = aks(world, lifecycle, runtime);
  lifecycle.finishers.set(GROUP, (group) => {
    for (const r of contents(world, group.name)) {
      if (r.type === CLUSTER) clusters.drop(r as ClusterRecord);
      else world.remove(r.type, r.id);
    }
  });
  const routes = [...identityRoutes(), ...lifecycle.routes(), ...groupRoutes(world, lifecycle), ...clusters.routes, ...acrRoutes(world, lifecycle), ...skuRoutes]
    .map((route) => ({ route, pattern: compile(route.path) }));

  async function handle(req: globalThis.Request): Promise<Response> {
    const started = performance.now();
    const url = new URL(req.url);
    const path = url.pathname.replace(/\/{2,}/g, "/");
    const method = req.method === "HEAD" ? "HEAD" : req.method;
    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const r of routes) {
      if (r.route.method !== method) continue;
      const m = r.pattern.exec(path);
      if (!m) continue;
      route = r.route;
      params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      break;
    }
    let reply: Reply;
    try {
      if (!route) throw new ArmError("InvalidResourceType", `The sandbox does not serve ${method} ${path}.`, 404);
      if (route.service !== "aad" && !validToken(req.headers.get("authorization"))) {
        throw new ArmError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or its bearer token is not one the sandbox issued.", 401, { "WWW-Authenticate": `Bearer authorization_uri="${base}/adfs", error="invalid_token"` });
      }
      if (params.sub && params.sub.toLowerCase() !== SUBSCRIPTION_ID) throw new ArmError("SubscriptionNotFound", `The subscription '${params.sub}' could not be found.`, 404);
      await faults.apply(route.service, route.action, "TooManyRequests");
      const text = await req.text();
      const body = FORM_ROUTES.has(route.action) ? new URLSearchParams(text) : text ? JSON.parse(text) : undefined;
      lifecycle.settle();
      reply = await route.handle({ method, params, query: url.searchParams, body, base });
    } catch (err) {
      reply = errorReply(err);
    }
    calls.record(route?.service ?? "arm", route?.action ?? `${method} ${path}`, reply.status, performance.now() - started, (reply.body as any)?.error?.code ?? (reply.body as any)?.error);
    const headers = { "x-ms-request-id": crypto.randomUUID(), ...reply.headers };
    if (reply.body === undefined || method === "HEAD") return new Response(null, { status: reply.status, headers });
    return Response.json(reply.body, { status: reply.status, headers });
  }

  const server = Bun.serve({ hostname: "127.0.0.1", port: opts.port ?? 0, tls: { cert: certs.serverCertPem, key: certs.serverKeyPem }, fetch: handle, idleTimeout: 120 });
  base = `https://127.0.0.1:${server.port}`;

  const dir = join(tmpdir(), `nic-sandbox-azure-${server.port}`);
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, "ca.pem");
  const caBundleFile = join(dir, "ca-bundle.pem");
  writeFileSync(caFile, certs.caPem);
  let system = "";
  try {
    system = readFileSync(SYSTEM_CAS, "utf8");
  } catch {}
  writeFileSync(caBundleFile, `${system}\n${certs.caPem}`);

  const env: Record<string, string> = {
    AZURE_SUBSCRIPTION_ID: SUBSCRIPTION_ID,
    AZURE_TENANT_ID: TENANT_ID,
    AZURE_CLIENT_ID: CLIENT_ID,
    AZURE_CLIENT_SECRET: CLIENT_SECRET,
    ARM_SUBSCRIPTION_ID: SUBSCRIPTION_ID,
    ARM_TENANT_ID: TENANT_ID,
    ARM_CLIENT_ID: CLIENT_ID,
    ARM_CLIENT_SECRET: CLIENT_SECRET,
    AZURE_AUTHORITY_HOST: base,
    AZURE_RESOURCE_MANAGER_ENDPOINT: base,
    NODE_EXTRA_CA_CERTS: caBundleFile,
    REQUESTS_CA_BUNDLE: caBundleFile,
    // az keeps its login here, never in ~/.azure; no telemetry leaves the machine.
    AZURE_CONFIG_DIR: join(dir, "azure-cli"),
    AZURE_CORE_COLLECT_TELEMETRY: "false",
  };

  async function stopKubeApis() {
    const all = [...runtime.kubeApis.values()];
    runtime.kubeApis.clear();
    await Promise.all(all.map((k) => k.ready.then((api) => api.stop(), () => {})));
  }

  return {
    endpoint: base,
    caPem: certs.caPem,
    caBundleFile,
    env,
    settle: () => lifecycle.settle(),
    stopKubeApis,
    async stop() {
      await Promise.all([server.stop(true), stopKubeApis()]);
    },
  };
}

function errorReply(err: unknown): Reply {
  if (err instanceof ArmError) return { status: err.status, body: { error: { code: err.code, message: err.message } }, headers: err.headers };
  if (err instanceof AwsError) {
    // A fault rule: throttling in ARM's shape (429 + Retry-After), or the rule's own code and status.
    const throttled = err.code === "TooManyRequests";
    return { status: throttled ? 429 : err.status, body: { error: { code: err.code, message: err.message } }, headers: throttled ? { "Retry-After": "1", ...err.headers } : err.headers };
  }
  if (err instanceof SyntaxError) return { status: 400, body: { error: { code: "InvalidRequestContent", message: `The request content was invalid and could not be deserialized: ${err.message}` } } };
  return { status: 500, body: { error: { code: "InternalServerError", message: err instanceof Error ? err.message : String(err) } } };
}
