// Every provider NIC knows, registered explicitly in one place. A capability is listed only once it works end to end.
import type { DeployProvider } from "../deploy/provider.ts";

export type ProviderName = "aws" | "gcp" | "azure" | "local" | "existing";
export type Capability = "validate" | "deploy";

export interface ProviderEntry {
  name: ProviderName;
  /** The provider's block in nebari-config.yaml. */
  configKey: string;
  title: string;
  capabilities: Capability[];
  /** The deploy adapter, imported only when a command reaches the cloud. */
  load?: () => Promise<DeployProvider>;
}

export const PROVIDERS: readonly ProviderEntry[] = [
  {
    name: "aws",
    configKey: "amazon_web_services",
    title: "Amazon Web Services (EKS)",
    capabilities: ["validate", "deploy"],
    load: async () => (await import("./adapters/aws.ts")).awsProvider,
  },
  { name: "gcp", configKey: "google_cloud_platform", title: "Google Cloud Platform (GKE)", capabilities: ["validate"] },
  { name: "azure", configKey: "azure", title: "Microsoft Azure (AKS)", capabilities: ["validate"] },
  { name: "local", configKey: "local", title: "Local cluster (kube context)", capabilities: ["validate"] },
  { name: "existing", configKey: "existing", title: "Existing cluster (kube context)", capabilities: ["validate"] },
];

export function providerByName(name: string): ProviderEntry | undefined {
  return PROVIDERS.find((p) => p.name === name);
}
