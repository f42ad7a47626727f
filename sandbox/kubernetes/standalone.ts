// A standalone sandbox cluster (no cloud around it) for NIC's `existing` and `local` providers, with one kubeconfig
// holding a context per auth kind users have: client certificate, bearer token, exec credential plugin, and a token
// user on a cluster entry that says insecure-skip-tls-verify (no CA).
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { stringify } from "yaml";
import { startKubeApi, type KubeApiOptions, type KubeApiServer } from "./index.ts";

export type AuthKind = "cert" | "token" | "exec" | "insecure";
export const AUTH_KINDS: readonly AuthKind[] = ["cert", "token", "exec", "insecure"];

export interface StandaloneCluster {
  api: KubeApiServer;
  /** The kubeconfig with every context; its current-context is the client-certificate one. */
  kubeconfigPath: string;
  /** Context name per auth kind: `<name>`, `<name>-token`, `<name>-exec`, `<name>-insecure`. */
  contexts: Record<AuthKind, string>;
  stop(): Promise<void>;
}

export async function startStandaloneCluster(opts: { name: string; kubeconfigPath: string } & Omit<KubeApiOptions, "name" | "acceptToken">): Promise<StandaloneCluster> {
  // The plugin's token is its own, so a request carrying it proves the plugin ran.
  const execToken = `exec-${crypto.randomUUID()}`;
  const api = await startKubeApi({ ...opts, acceptToken: (t) => t === execToken });
  const path = resolve(opts.kubeconfigPath);
  const plugin = `${path}.credential.sh`;
  await mkdir(dirname(path), { recursive: true });
  const credential = { apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: execToken } };
  await writeFile(plugin, `#!/bin/sh\n# The sandbox's kubeconfig credential plugin (as aws eks get-token or kubelogin would be).\ncat <<'EOF'\n${JSON.stringify(credential)}\nEOF\n`);
  await chmod(plugin, 0o700);

  const name = opts.name;
  const contexts: Record<AuthKind, string> = { cert: name, token: `${name}-token`, exec: `${name}-exec`, insecure: `${name}-insecure` };
  const ca = Buffer.from(api.caPem).toString("base64");
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    "current-context": contexts.cert,
    clusters: [
      { name, cluster: { server: api.endpoint, "certificate-authority-data": ca } },
      { name: `${name}-insecure`, cluster: { server: api.endpoint, "insecure-skip-tls-verify": true } },
    ],
    users: [
      { name: `${name}-cert`, user: { "client-certificate-data": b64(api.adminCertPem), "client-key-data": b64(api.adminKeyPem) } },
      { name: `${name}-token`, user: { token: api.adminToken } },
      { name: `${name}-exec`, user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: plugin, args: [], interactiveMode: "Never" } } },
    ],
    contexts: [
      { name: contexts.cert, context: { cluster: name, user: `${name}-cert` } },
      { name: contexts.token, context: { cluster: name, user: `${name}-token` } },
      { name: contexts.exec, context: { cluster: name, user: `${name}-exec` } },
      { name: contexts.insecure, context: { cluster: `${name}-insecure`, user: `${name}-token` } },
    ],
  };
  await writeFile(path, stringify(doc), { mode: 0o600 });
  return { api, kubeconfigPath: path, contexts, stop: () => api.stop() };
}

const b64 = (s: string) => Buffer.from(s).toString("base64");
