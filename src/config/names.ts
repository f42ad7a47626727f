// Names Nebari derives from project_name and namespace (nebari-stages.md §1.1, §1.6, §5). Pure functions.
import type { ProviderName } from "./providers.ts";

/** Nebari's escape_string: every character outside [A-Za-z0-9], and every literal "a", becomes "a" + uppercase hex. */
export function azureEscape(name: string): string {
  return [...name].map((ch) => (/[A-Za-z0-9]/.test(ch) && ch !== "a" ? ch : `a${ch.charCodeAt(0).toString(16).toUpperCase()}`)).join("");
}

/** The name most cloud resources are built from. */
export function escapedProjectName(projectName: string, provider: ProviderName): string {
  if (provider === "azure" && projectName.includes("-")) return azureEscape(projectName);
  if (provider === "aws" && projectName.startsWith("aws")) return `a${projectName}`;
  return projectName;
}

export function clusterName(escapedProject: string, namespace: string): string {
  return `${escapedProject}-${namespace}`;
}

/** Azure resource groups use the UNescaped project name. */
export function azureResourceGroups(projectName: string, namespace: string, resourceGroupName?: string | null) {
  const main = resourceGroupName ?? `${projectName}-${namespace}`;
  return { main, node: `${main}-node-resource-group`, state: `${main}-state` };
}

/** Stage-01 remote-state storage, created from the UNescaped project name. */
export function stage01Storage(projectName: string, namespace: string) {
  const base = `${projectName}-${namespace}`;
  return {
    awsBucket: `${base}-terraform-state`,
    awsLockTable: `${base}-terraform-state-lock`,
    gcpBucket: `${base}-terraform-state`,
    azureContainer: `${base}-state`,
    azureStorageAccount: (postfix: string) => `${base}${postfix}`.replaceAll("-", ""),
  };
}
