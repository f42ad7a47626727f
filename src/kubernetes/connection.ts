// A ClusterConnection from a kubeconfig file (the local and existing providers, or NIC's own generated kubeconfig).
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { NicError } from "../cli/errors.ts";
import type { ClusterConnection } from "./client.ts";

/** The parts of a kubeconfig NIC reads; cluster and user entries keep kubectl's dashed key names. */
interface Kubeconfig {
  "current-context"?: string;
  clusters?: { name: string; cluster?: Record<string, any> }[];
  users?: { name: string; user?: Record<string, any> }[];
  contexts?: { name: string; context?: { cluster: string; user: string } }[];
}

/** Supports CA data/file, insecure-skip-tls-verify, client certificate data/file, token/tokenFile and exec credential plugins. */
export async function connectionFromKubeconfig(path: string, context?: string): Promise<ClusterConnection> {
  const base = dirname(resolve(path));
  const file = (p: string) => readFile(resolve(base, p), "utf8");
  let config: Kubeconfig;
  try {
    config = parse(await readFile(path, "utf8")) ?? {};
  } catch (err) {
    throw invalid(path, `it cannot be read: ${(err as Error).message}`);
  }
  const contextName = context ?? config["current-context"];
  if (!contextName) throw invalid(path, "it names no current-context; pass a kube context");
  const ctx = config.contexts?.find((c) => c.name === contextName)?.context;
  if (!ctx) throw invalid(path, `it has no context named "${contextName}" (it has: ${(config.contexts ?? []).map((c) => c.name).join(", ") || "none"})`);
  const cluster = config.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) throw invalid(path, `context "${contextName}" names cluster "${ctx.cluster}", which is missing or has no server`);
  const user = config.users?.find((u) => u.name === ctx.user)?.user ?? {};

  const caPem = cluster["certificate-authority-data"]
    ? decode(cluster["certificate-authority-data"])
    : cluster["certificate-authority"] ? await file(cluster["certificate-authority"]) : undefined;
  const conn = { endpoint: String(cluster.server), caPem, insecureSkipVerify: cluster["insecure-skip-tls-verify"] === true };

  const cert = user["client-certificate-data"] ? decode(user["client-certificate-data"]) : user["client-certificate"] ? await file(user["client-certificate"]) : undefined;
  const key = user["client-key-data"] ? decode(user["client-key-data"]) : user["client-key"] ? await file(user["client-key"]) : undefined;
  if (cert && key) return { ...conn, auth: { clientCertPem: cert, clientKeyPem: key } };
  if (user.token) return { ...conn, auth: { token: async () => String(user.token) } };
  if (user.tokenFile) return { ...conn, auth: { token: async () => (await file(user.tokenFile)).trim() } };
  if (user.exec) return { ...conn, auth: { token: execToken(user.exec, base) } };
  throw invalid(path, `user "${ctx.user}" has no client certificate, token or exec plugin NIC can use`);
}

interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
}

/** Runs the credential plugin (e.g. `aws eks get-token`) when needed, reusing its token until shortly before it expires. */
function execToken(exec: ExecConfig, base: string): () => Promise<string> {
  let cached: { token: string; expires: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.expires - 60_000) return cached.token;
    const command = exec.command.includes("/") ? resolve(base, exec.command) : exec.command;
    const info = { apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1", kind: "ExecCredential", spec: { interactive: false } };
    const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])), KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    const proc = Bun.spawn([command, ...(exec.args ?? [])], { env, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0) throw new Error(`The kubeconfig credential plugin ${exec.command} failed (exit ${code}): ${err.trim().slice(0, 300)}`);
    const status = JSON.parse(out)?.status ?? {};
    if (!status.token) throw new Error(`The kubeconfig credential plugin ${exec.command} returned no token (client certificates from plugins are not supported)`);
    const expires = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Infinity;
    cached = { token: status.token, expires };
    return status.token;
  };
}

const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");

function invalid(path: string, why: string) {
  return new NicError("INPUT_INVALID", `The kubeconfig ${path} cannot be used: ${why}.`, {
    recovery: ["Check the file with `kubectl config view --kubeconfig <file>`, or set the provider's kube_context."],
  });
}
