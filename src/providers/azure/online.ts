// `nic validate --online` on Azure: asks ARM, with the caller's credentials, whether the region exists for the subscription,
// whether each node group's VM size is offered there to this subscription (Compute's Resource SKUs), and whether AKS offers
// the Kubernetes version there today (Nebari's own check, `list_orchestrators(region)`).
import { closest } from "../../cli/suggest.ts";
import type { AzureConfig } from "../../config/model.ts";
import type { Env } from "../../deploy/provider.ts";
import type { OnlineProblem } from "../aws/online.ts";
import { azureClients, type AzureOptions } from "./clients.ts";

export interface AzureOnlineOptions extends AzureOptions {
  /** "existing" (the state tracks the cluster): a version AKS no longer offers is a warning, not an error. */
  deployment?: "new" | "existing";
}

export async function azureOnlineChecks(config: AzureConfig, env: Env, opts: AzureOnlineOptions = {}): Promise<OnlineProblem[]> {
  const { deployment } = opts;
  const problems: OnlineProblem[] = [];
  const clients = azureClients(env, opts);
  const resources = await clients.resources();
  const { createPipelineRequest } = await import("@azure/core-rest-pipeline");
  const endpoint = (env.AZURE_RESOURCE_MANAGER_ENDPOINT || "https://management.azure.com").replace(/\/+$/, "");
  const list = async <T>(path: string): Promise<T[]> => {
    const items: T[] = [];
    for (let url: string | undefined = `${endpoint}/subscriptions/${clients.subscriptionId}/${path}`; url; ) {
      const answer = await resources.sendRequest(createPipelineRequest({ url, method: "GET" }));
      if (answer.status >= 400) throw Object.assign(new Error(`GET ${path}: ${answer.status} ${answer.bodyAsText ?? ""}`), { statusCode: answer.status });
      const page = JSON.parse(answer.bodyAsText ?? "{}") as { value?: T[]; nextLink?: string };
      items.push(...(page.value ?? []));
      url = page.nextLink;
    }
    return items;
  };
  // The three questions do not depend on each other: asked at once, they cost one round trip before a deploy's first change.
  const requested = config.kubernetes_version_requested;
  const filter = encodeURIComponent(`location eq '${config.region}'`);
  const [locationsAnswer, skusAnswer, versionsAnswer] = await Promise.allSettled([
    list<{ name: string; metadata?: { regionType?: string } }>("locations?api-version=2022-12-01"),
    list<Sku>(`providers/Microsoft.Compute/skus?api-version=2021-07-01&$filter=${filter}`),
    requested === null ? undefined : clients.containerService().then((c) => c.managedClusters.listKubernetesVersions(config.region)),
  ]);
  const locations = valueOf(locationsAnswer)
    .filter((l) => l.metadata?.regionType !== "Logical")
    .map((l) => l.name);
  if (!locations.includes(config.region)) {
    const guess = closest(config.region, locations);
    problems.push({ severity: "error", path: ["azure", "region"], message: `Azure has no region "${config.region}" for this subscription`, hint: `${guess ? `Did you mean ${guess}? ` : ""}It offers ${locations.sort().join(", ")}` });
    return problems; // what the other two said about a region that does not exist adds nothing
  }

  checkVmSizes(config, valueOf(skusAnswer), problems);

  const versions = valueOf(versionsAnswer);
  if (requested !== null && versions) {
    const { values = [] } = versions;
    const offered = values.flatMap((v) => [v.version!, ...Object.keys(v.patchVersions ?? {})]);
    if (!offered.includes(requested)) {
      const minors = values.map((v) => v.version!).sort();
      const existing = deployment === "existing";
      problems.push({ severity: existing ? "warning" : "error", path: ["azure", "kubernetes_version"], message: `AKS does not offer Kubernetes ${requested} in ${config.region} today${existing ? "; the existing cluster keeps its version" : ""}`, hint: `AKS offers ${minors.join(", ")} (or a patch of one: ${offered.filter((v) => v.split(".").length === 3).sort().join(", ")})` });
    }
  }
  return problems;
}

function valueOf<T>(answer: PromiseSettledResult<T>): T {
  if (answer.status === "rejected") throw answer.reason;
  return answer.value;
}

interface Sku {
  resourceType?: string;
  name: string;
  restrictions?: { type?: string; reasonCode?: string }[];
}

/** Each node group's VM size: listed for the region and not restricted there for this subscription. */
function checkVmSizes(config: AzureConfig, regionSkus: Sku[], problems: OnlineProblem[]) {
  const skus = regionSkus.filter((s) => s.resourceType === "virtualMachines");
  const usable = skus.filter((s) => !s.restrictions?.some((r) => r.type === "Location")).map((s) => s.name);
  const series = (size: string) => size.replace(/\d+/, "#");
  for (const group of config.node_groups) {
    const path = ["azure", "node_groups", group.name, "instance"];
    const sku = skus.find((s) => s.name.toLowerCase() === group.instance.toLowerCase());
    const alike = usable.filter((n) => series(n) === series(group.instance)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const hint = alike.length ? `${config.region} offers ${alike.join(", ")}` : "Choose a VM size offered in this region (az vm list-skus --location <region>)";
    if (!sku) problems.push({ severity: "error", path, message: `${group.instance} is not offered in ${config.region}`, hint });
    else if (!usable.includes(sku.name)) {
      const why = sku.restrictions!.find((r) => r.type === "Location")!.reasonCode ?? "restricted";
      problems.push({ severity: "error", path, message: `${group.instance} is not available to this subscription in ${config.region} (${why})`, hint: `${hint}; or ask Azure support to lift the restriction` });
    }
  }
}
