// outputs.json for `provider: local`, as Nebari's `infrastructure/template/local/outputs.tf` writes it:
// kubernetes_credentials {config_path, host, cluster_ca_certificate, client_key, client_certificate} (PEM, as tehcyx/kind
// reads them from the kind kubeconfig), kubeconfig_filename (the kubeconfig NIC writes), node_selectors from the config.
// A kube context whose user has no client certificate (a token, an exec plugin) gets null there; Nebari skips null credentials.
import type { NebariConfig } from "../../config/model.ts";
import type { ClusterConnection } from "../../kubernetes/index.ts";
import { OUTPUTS_FORMAT_VERSION, nodeSelectors } from "../../outputs/outputs.ts";

export interface LocalOutputsInput {
  config: NebariConfig;
  /** Where NIC wrote the kubeconfig (outputs' kubeconfig path). */
  kubeconfig: string;
  context: string;
  connection: ClusterConnection;
  namespaces: string[];
}

export function localOutputs({ config, kubeconfig, context, connection, namespaces }: LocalOutputsInput) {
  const cert = "clientCertPem" in connection.auth ? connection.auth : undefined;
  return {
    format_version: OUTPUTS_FORMAT_VERSION,
    provider: config.provider,
    cluster: { name: context, endpoint: connection.endpoint },
    kubeconfig: { path: kubeconfig, context },
    kubernetes: { namespaces },

    kubernetes_credentials: {
      value: {
        config_path: kubeconfig,
        host: connection.endpoint,
        cluster_ca_certificate: connection.caPem ?? null,
        client_key: cert?.clientKeyPem ?? null,
        client_certificate: cert?.clientCertPem ?? null,
      },
    },
    kubeconfig_filename: { value: kubeconfig },
    node_selectors: nodeSelectors(config),
  };
}
