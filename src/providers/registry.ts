// Every provider NIC knows, registered explicitly in one place. A capability is listed only once it works end to end.
// Names, config keys and titles belong to the configuration (src/config/providers.ts); this file maps them to adapters.
import { providerBlock, type ProviderBlock, type ProviderName } from "../config/providers.ts";
import type { DeployProvider } from "../deploy/provider.ts";

export type { ProviderName };
export type Capability = "validate" | "deploy" | "import" | "drift" | "destroy";

export interface ProviderEntry extends ProviderBlock {
  capabilities: Capability[];
  /** The deploy adapter, imported only when a command reaches the cloud. */
  load?: () => Promise<DeployProvider>;
}

export const PROVIDERS: readonly ProviderEntry[] = [
  {
    ...providerBlock("aws"),
    capabilities: ["validate", "deploy", "import", "drift", "destroy"],
    load: async () => (await import("./adapters/aws.ts")).awsProvider,
  },
  {
    ...providerBlock("gcp"),
    capabilities: ["validate", "deploy"],
    load: async () => (await import("./adapters/gcp.ts")).gcpProvider,
  },
  {
    ...providerBlock("azure"),
    capabilities: ["validate", "deploy", "import", "drift", "destroy"],
    load: async () => (await import("./adapters/azure.ts")).azureProvider,
  },
  {
    ...providerBlock("local"),
    capabilities: ["validate", "deploy", "drift", "destroy"],
    load: async () => (await import("./adapters/local.ts")).localProvider,
  },
  {
    ...providerBlock("existing"),
    capabilities: ["validate", "deploy", "drift", "destroy"],
    load: async () => (await import("./adapters/existing.ts")).existingProvider,
  },
];

export function providerByName(name: string): ProviderEntry | undefined {
  return PROVIDERS.find((p) => p.name === name);
}
