// The cluster's user credentials (listClusterUserCredential): what azurerm's kube_config holds and Nebari's
// kubernetes_credentials output passes on, decoded. Secrets: they go to outputs.json and the kubeconfig (0600), never to state.
import { parse } from "yaml";
import type { AzureClients } from "./clients.ts";

export interface AksCredentials {
  host: string;
  username: string;
  password: string;
  client_certificate: string;
  client_key: string;
  cluster_ca_certificate: string;
  /** The kubeconfig as AKS returned it (Terraform's kube_config_raw, which Nebari writes to kubeconfig_filename). */
  kubeconfig: string;
}

const decode = (b64: unknown) => (typeof b64 === "string" ? Buffer.from(b64, "base64").toString("utf8") : "");

export async function clusterCredentials(azure: AzureClients, group: string, cluster: string, signal?: AbortSignal): Promise<AksCredentials> {
  const client = await azure.containerService();
  const result = await client.managedClusters.listClusterUserCredentials(group, cluster, { abortSignal: signal });
  const raw = result.kubeconfigs?.[0]?.value;
  if (!raw) throw new Error(`AKS returned no user credentials for cluster ${cluster}`);
  const kubeconfig = Buffer.from(raw).toString("utf8");
  const doc = parse(kubeconfig) as {
    clusters?: { cluster: { server: string; "certificate-authority-data"?: string } }[];
    users?: { name: string; user: { "client-certificate-data"?: string; "client-key-data"?: string; token?: string } }[];
  };
  const server = doc.clusters?.[0]?.cluster;
  const user = doc.users?.[0];
  if (!server || !user) throw new Error(`The user credentials of cluster ${cluster} are not a kubeconfig NIC can read`);
  return {
    host: server.server,
    username: user.name,
    password: user.user.token ?? "",
    client_certificate: decode(user.user["client-certificate-data"]),
    client_key: decode(user.user["client-key-data"]),
    cluster_ca_certificate: decode(server["certificate-authority-data"]),
    kubeconfig,
  };
}
