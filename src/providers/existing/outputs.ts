// outputs.json for `provider: existing`, as Nebari's `infrastructure/template/existing/main.tf` writes it:
// kubernetes_credentials {config_path, config_context} (not sensitive) and kubeconfig_filename, both the expanded kubeconfig path,
// plus node_selectors from the config as Nebari's set_outputs adds them. Nebari always says `~/.kube/config`;
// NIC names the file that really holds the context (the same file unless KUBECONFIG points elsewhere).
import type { NebariConfig } from "../../config/model.ts";
import { OUTPUTS_FORMAT_VERSION, nodeSelectors } from "../../outputs/outputs.ts";

export interface ContextOutputsInput {
  config: NebariConfig;
  kubeconfig: string;
  context: string;
  endpoint: string;
  namespaces: string[];
}

export function existingOutputs({ config, kubeconfig, context, endpoint, namespaces }: ContextOutputsInput) {
  return {
    format_version: OUTPUTS_FORMAT_VERSION,
    provider: config.provider,
    cluster: { name: context, endpoint },
    kubeconfig: { path: kubeconfig, context },
    kubernetes: { namespaces },

    kubernetes_credentials: { value: { config_path: kubeconfig, config_context: context } },
    kubeconfig_filename: { value: kubeconfig },
    node_selectors: nodeSelectors(config),
  };
}
