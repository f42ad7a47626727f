// `nic validate --online` on Azure: asks ARM, with the caller's credentials, whether the region exists for the subscription
// and whether AKS offers the Kubernetes version there today (Nebari's own check, `list_orchestrators(region)`).
// VM sizes are not checked yet: that needs the Resource SKUs API, which the sandbox does not answer.
import { closest } from "../../cli/suggest.ts";
import type { AzureConfig } from "../../config/model.ts";
import type { Env } from "../../deploy/provider.ts";
import type { OnlineProblem } from "../aws/online.ts";
import { azureClients } from "./clients.ts";

/** `deployment: "existing"` (the state tracks the cluster): a version AKS no longer offers is a warning, not an error. */
export async function azureOnlineChecks(config: AzureConfig, env: Env, deployment?: "new" | "existing"): Promise<OnlineProblem[]> {
  const problems: OnlineProblem[] = [];
  const clients = azureClients(env);
  const resources = await clients.resources();
  const { createPipelineRequest } = await import("@azure/core-rest-pipeline");
  const endpoint = (env.AZURE_RESOURCE_MANAGER_ENDPOINT || "https://management.azure.com").replace(/\/+$/, "");
  const url = `${endpoint}/subscriptions/${clients.subscriptionId}/locations?api-version=2022-12-01`;
  const answer = await resources.sendRequest(createPipelineRequest({ url, method: "GET" }));
  const locations = ((JSON.parse(answer.bodyAsText ?? "{}").value ?? []) as { name: string; metadata?: { regionType?: string } }[])
    .filter((l) => l.metadata?.regionType !== "Logical")
    .map((l) => l.name);
  if (!locations.includes(config.region)) {
    const guess = closest(config.region, locations);
    problems.push({ severity: "error", path: ["azure", "region"], message: `Azure has no region "${config.region}" for this subscription`, hint: `${guess ? `Did you mean ${guess}? ` : ""}It offers ${locations.sort().join(", ")}` });
    return problems;
  }

  const requested = config.kubernetes_version_requested;
  if (requested !== null) {
    const containers = await clients.containerService();
    const { values = [] } = await containers.managedClusters.listKubernetesVersions(config.region);
    const offered = values.flatMap((v) => [v.version!, ...Object.keys(v.patchVersions ?? {})]);
    if (!offered.includes(requested)) {
      const minors = values.map((v) => v.version!).sort();
      const existing = deployment === "existing";
      problems.push({ severity: existing ? "warning" : "error", path: ["azure", "kubernetes_version"], message: `AKS does not offer Kubernetes ${requested} in ${config.region} today${existing ? "; the existing cluster keeps its version" : ""}`, hint: `AKS offers ${minors.join(", ")} (or a patch of one: ${offered.filter((v) => v.split(".").length === 3).sort().join(", ")})` });
    }
  }
  return problems;
}
