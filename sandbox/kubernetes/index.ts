// A Kubernetes API server emulator: one per sandbox cluster, HTTPS with its own CA, client-cert and bearer-token auth.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { stringify } from "yaml";
import { authenticated } from "./auth.ts";
import { makeCerts, type ClusterCerts } from "./certs.ts";
import { Cluster, DEFAULT_DELAYS, type ClusterSnapshot, type Delays, type LoadBalancerHook } from "./cluster.ts";
import { Faults, type FaultSpec } from "./faults.ts";
import { route, serve, type Reply } from "./http.ts";
import { KubeError, unauthorized } from "./status.ts";

export type { Delays, LoadBalancerEvent, LoadBalancerHook } from "./cluster.ts";
export type { FaultSpec } from "./faults.ts";
export { isEksToken } from "./auth.ts";

export interface KubeApiOptions {
  name: string;
  port?: number;
  /** Bearer tokens to accept besides EKS-style ones and the server's own admin token. */
  acceptToken?: (token: string) => boolean;
  onLoadBalancer?: LoadBalancerHook;
  delays?: Partial<Delays>;
  /** Reported by /version: "major.minor" or "major.minor.patch" (default 1.31), e.g. the EKS cluster's version. */
  kubernetesVersion?: string;
  /** Resume a cluster saved by snapshot(): same CA, certificates, admin token and objects (pass the old port to keep kubeconfigs valid). */
  restore?: KubeSnapshot;
}

/** JSON-serialisable state of one cluster, so a sandbox can persist it across restarts. */
export interface KubeSnapshot { name: string; certs: ClusterCerts; adminToken: string; cluster: ClusterSnapshot }

export interface InventoryItem { apiVersion: string; kind: string; namespace?: string; name: string; labels: Record<string, string> }
export interface CallRecord { verb: string; resource?: string; namespace?: string; name?: string; status: number; /** Epoch ms when it was answered. */ at?: number }

export interface KubeApiServer {
  name: string;
  /** https://127.0.0.1:PORT */
  endpoint: string;
  caPem: string;
  adminCertPem: string;
  adminKeyPem: string;
  /** A static bearer token the server accepts (the "token" kubeconfig's default). */
  adminToken: string;
  kubeconfig(auth: "cert" | "token", token?: string): string;
  inventory(): InventoryItem[];
  /** The most recent calls (up to 10,000), oldest first. */
  calls(): CallRecord[];
  /** Calls per "verb resource" (e.g. "patch configmaps", "discovery"), since start. */
  counters(): Record<string, number>;
  faults: { inject(spec: FaultSpec): void; clear(): void };
  /** Mutable: later writes use the new values. */
  delays: Delays;
  /** Called when a Service of type LoadBalancer appears or goes; may return the ELB hostname. Settable after start. */
  onLoadBalancer?: LoadBalancerHook;
  snapshot(): KubeSnapshot;
  stop(): Promise<void>;
}

const CALL_LOG_SIZE = 10_000;

/** Paths anyone may read, as with the API server's anonymous discovery role. */
const PUBLIC = new Set(["/version", "/healthz", "/livez", "/readyz"]);

export async function startKubeApi(opts: KubeApiOptions): Promise<KubeApiServer> {
  const certs = opts.restore?.certs ?? (await makeCerts(opts.name));
  const adminToken = opts.restore?.adminToken ?? `sandbox-${crypto.randomUUID()}`;
  const acceptToken = (token: string) => token === adminToken || (opts.acceptToken?.(token) ?? false);
  const faults = new Faults();
  const calls: CallRecord[] = [];
  const counters: Record<string, number> = {};
  const delays: Delays = { ...DEFAULT_DELAYS, ...opts.delays };
  const kubernetesVersion = opts.kubernetesVersion ?? "1.31";
  const api: KubeApiServer = {} as KubeApiServer;
  const cluster = new Cluster(opts.name, delays, (event) => api.onLoadBalancer?.(event));
  if (opts.restore) cluster.restore(opts.restore.cluster);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    let body = "";
    for await (const chunk of req) body += chunk;
    const call: CallRecord = { verb: "discovery", status: 0 };
    try {
      if (!PUBLIC.has(url.pathname) && !authenticated(req, acceptToken)) throw unauthorized();
      const r = route(cluster, req.method ?? "GET", url, kubernetesVersion);
      Object.assign(call, { verb: r.verb, resource: r.type?.plural, namespace: r.namespace, name: r.name });
      const fault = faults.take(r.verb, r.type?.plural);
      if (fault?.latencyMs) await Bun.sleep(fault.latencyMs);
      if (fault?.error) throw fault.error;
      const reply = await serve(cluster, r, url, req, body, res);
      if (reply) send(res, reply);
      call.status = reply?.status ?? 200;
    } catch (err) {
      const e = err instanceof KubeError ? err : new KubeError(500, "InternalError", `Internal error occurred: ${(err as Error).message}`);
      const retryAfter = e.details?.retryAfterSeconds;
      send(res, { status: e.code, body: e.body(), headers: retryAfter ? { "retry-after": String(retryAfter) } : undefined });
      call.status = e.code;
    }
    call.at = Date.now();
    calls.push(call);
    if (calls.length > CALL_LOG_SIZE) calls.shift();
    const counter = call.resource ? `${call.verb} ${call.resource}` : call.verb;
    counters[counter] = (counters[counter] ?? 0) + 1;
  }

  const server: Server = createServer(
    { key: certs.serverKeyPem, cert: certs.serverCertPem, ca: certs.caPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => void handle(req, res),
  );
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const endpoint = `https://127.0.0.1:${port}`;

  return Object.assign(api, {
    name: opts.name,
    endpoint,
    caPem: certs.caPem,
    adminCertPem: certs.adminCertPem,
    adminKeyPem: certs.adminKeyPem,
    adminToken,
    delays,
    onLoadBalancer: opts.onLoadBalancer,
    faults: { inject: (spec: FaultSpec) => faults.inject(spec), clear: () => faults.clear() },
    calls: () => [...calls],
    counters: () => ({ ...counters }),
    kubeconfig: (auth: "cert" | "token", token?: string) => kubeconfig(opts.name, endpoint, certs.caPem,
      auth === "cert" ? { "client-certificate-data": b64(certs.adminCertPem), "client-key-data": b64(certs.adminKeyPem) } : { token: token ?? adminToken }),
    inventory: () => cluster.store.all().map(({ obj }) => ({
      apiVersion: obj.apiVersion, kind: obj.kind, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      name: obj.metadata.name, labels: { ...obj.metadata.labels },
    })),
    snapshot: () => ({ name: opts.name, certs, adminToken, cluster: cluster.snapshot() }),
    stop: async () => {
      cluster.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  });
}

function send(res: ServerResponse, reply: Reply) {
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": typeof reply.body === "string" ? "text/plain" : "application/json", ...reply.headers });
  res.end(text);
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

function kubeconfig(name: string, server: string, caPem: string, user: Record<string, string>) {
  const userName = `${name}-admin`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": b64(caPem) } }],
    users: [{ name: userName, user }],
    contexts: [{ name, context: { cluster: name, user: userName } }],
    "current-context": name,
  });
}
