// Compute's Resource SKUs (`GET .../providers/Microsoft.Compute/skus?$filter=location eq '<region>'`), the catalogue
// `nic validate --online` reads for VM sizes (src/providers/azure/online.ts). Realistic in its gaps: the A100 size is
// offered in a few regions only, and the NC v3 size is listed but restricted for this subscription in Central US.
import { SUBSCRIPTION_ID, type Route } from "./arm.ts";

/** size → [vCPUs, memory GB, GPUs, regions (all when absent)]. */
const SIZES: Record<string, [number, number, number, string[]?]> = {
  Standard_B2s: [2, 4, 0], Standard_D2_v3: [2, 8, 0], Standard_D4_v3: [4, 16, 0], Standard_D8_v3: [8, 32, 0], Standard_D16_v3: [16, 64, 0],
  Standard_D32_v3: [32, 128, 0], Standard_D64_v3: [64, 256, 0], Standard_D4s_v3: [4, 16, 0], Standard_D8s_v3: [8, 32, 0],
  Standard_D4_v5: [4, 16, 0], Standard_D8_v5: [8, 32, 0], Standard_E4_v3: [4, 32, 0], Standard_E8_v3: [8, 64, 0], Standard_F8s_v2: [8, 16, 0],
  Standard_NC6s_v3: [6, 112, 1], Standard_NC24ads_A100_v4: [24, 220, 1, ["eastus", "eastus2", "southcentralus", "westus2", "westus3"]],
};
const RESTRICTED: Record<string, string[]> = { Standard_NC6s_v3: ["centralus"] };

function sku(name: string, location: string) {
  const [vcpus, memory, gpus] = SIZES[name]!;
  const restricted = RESTRICTED[name]?.includes(location);
  return {
    resourceType: "virtualMachines", name, tier: "Standard", size: name.replace(/^Standard_/, ""), family: `standard${name.replace(/^Standard_([A-Z]+).*?(_v\d)?$/, "$1$2")}Family`,
    locations: [location], locationInfo: [{ location, zones: ["1", "2", "3"], zoneDetails: [] }],
    capabilities: [{ name: "vCPUs", value: String(vcpus) }, { name: "MemoryGB", value: String(memory) }, ...(gpus ? [{ name: "GPUs", value: String(gpus) }] : [])],
    restrictions: restricted ? [{ type: "Location", values: [location], restrictionInfo: { locations: [location] }, reasonCode: "NotAvailableForSubscription" }] : [],
  };
}

export const skuRoutes: Route[] = [
  { method: "GET", path: "/subscriptions/{sub}/providers/Microsoft.Compute/skus", service: "compute", action: "ResourceSkus_List", handle: (r) => {
    const location = /location eq '([^']+)'/i.exec(r.query.get("$filter") ?? "")?.[1]?.toLowerCase();
    const names = Object.keys(SIZES).filter((n) => !location || !SIZES[n]![3] || SIZES[n]![3]!.includes(location));
    const value = location ? names.map((n) => sku(n, location)) : names.map((n) => sku(n, "eastus"));
    return { status: 200, body: { value, nextLink: undefined, id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Compute/skus` } };
  } },
];
