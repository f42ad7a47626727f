// The providers a nebari-config.yaml can name, and the block each one reads. Pure data: src/providers/registry.ts maps
// these names to deploy adapters, never the other way round.

export type ProviderName = "aws" | "gcp" | "azure" | "local" | "existing";

export interface ProviderBlock {
  name: ProviderName;
  /** The provider's block in nebari-config.yaml. */
  configKey: string;
  title: string;
}

export const PROVIDER_BLOCKS: readonly ProviderBlock[] = [
  { name: "aws", configKey: "amazon_web_services", title: "Amazon Web Services (EKS)" },
  { name: "gcp", configKey: "google_cloud_platform", title: "Google Cloud Platform (GKE)" },
  { name: "azure", configKey: "azure", title: "Microsoft Azure (AKS)" },
  { name: "local", configKey: "local", title: "Local cluster (kube context)" },
  { name: "existing", configKey: "existing", title: "Existing cluster (kube context)" },
];

export function providerBlock(name: ProviderName): ProviderBlock {
  return PROVIDER_BLOCKS.find((p) => p.name === name)!;
}
