// The kubeconfig NIC writes for a cluster: CA data inline, and an exec credential instead of a token that expires in 15 minutes.
import type { ClusterOutputs, ExecCredential } from "./types.ts";

export function renderKubeconfig(cluster: ClusterOutputs["cluster"], exec: ExecCredential): string {
  const ca = Buffer.from(cluster.ca_certificate_pem).toString("base64");
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    "current-context": cluster.name,
    clusters: [{ name: cluster.name, cluster: { server: cluster.endpoint, "certificate-authority-data": ca } }],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: cluster.name } }],
    users: [
      {
        name: cluster.name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: exec.command,
            args: exec.args,
            env: exec.env ?? null,
            interactiveMode: "Never",
            provideClusterInfo: false,
          },
        },
      },
    ],
  };
  // JSON is valid YAML, and kubectl reads it; no YAML library needed on this path.
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The ExecCredential document `nic kubeconfig token` prints for kubectl. */
export function execCredential(token: string, expiresAt: Date) {
  return {
    kind: "ExecCredential",
    apiVersion: "client.authentication.k8s.io/v1beta1",
    spec: {},
    status: { token, expirationTimestamp: expiresAt.toISOString() },
  };
}
