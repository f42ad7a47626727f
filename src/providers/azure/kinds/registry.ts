// azure/container_registry: `<escaped project><namespace>`, Standard SKU, the config's tags (module.registry).
import type { Registry } from "@azure/arm-containerregistry";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AzureClients } from "../clients.ts";
import { parseArmId } from "../arm-id.ts";
import { isNotFound, orNotFound, waitFor } from "../errors.ts";


function toActual(r: Registry): Actual {
  return {
    id: r.id!,
    attributes: { name: r.name, resource_group_name: parseArmId(r.id)?.group, location: r.location, sku: r.sku?.name, tags: r.tags ?? {}, login_server: r.loginServer, provisioning_state: r.provisioningState },
    ...((r as { provisioningState?: string }).provisioningState === "Deleting" ? { deleting: true } : {}),
  };
}

export function registryKind(azure: AzureClients, names: { resourceGroup: string; registry: string }): ResourceKind {
  async function read(group: string, name: string, signal: AbortSignal) {
    const client = await azure.registries();
    return orNotFound(() => client.registries.get(group, name, { abortSignal: signal }));
  }
  const state = (r: Registry) => (r as { provisioningState?: string }).provisioningState;
  return {
    kind: "azure/container_registry",
    timeoutMs: 30 * 60_000,
    // A PUT by name: sent twice (a rerun after a kill), it makes one resource; the rerun need not wait for the first.
    createsOnce: true,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const id = parseArmId(l.tracked?.id);
          const r = await read(id?.group ?? names.resourceGroup, id?.name ?? names.registry, signal);
          if (r) out.set(l.address, toActual(r));
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const client = await azure.registries();
      const a = resource.attributes;
      const poller = client.registries.create(String(a.resource_group_name), String(a.name), { location: String(a.location), sku: { name: String(a.sku) }, tags: a.tags as Record<string, string> }, { abortSignal: signal });
      await poller.submitted();
      const r = await read(String(a.resource_group_name), String(a.name), signal);
      if (!r) throw new Error(`ARM accepted registry ${a.name} but does not show it`);
      return toActual(r);
    },
    async update(resource, actual, changes, { signal }) {
      if (changes.every((c) => c.segments[0] === "provisioning_state")) return actual; // still settling: wait() waits
      const client = await azure.registries();
      const a = resource.attributes;
      const r = await client.registries.update(String(actual.attributes.resource_group_name), String(actual.attributes.name), { tags: a.tags as Record<string, string>, sku: { name: String(a.sku) } }, { abortSignal: signal });
      return toActual(r);
    },
    async delete(actual, { signal }) {
      const client = await azure.registries();
      try {
        await client.registries.delete(String(actual.attributes.resource_group_name), String(actual.attributes.name), { abortSignal: signal }).submitted();
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async wait(actual, operation, { signal }) {
      const group = String(actual.attributes.resource_group_name);
      const name = String(actual.attributes.name);
      const r = await waitFor(`registry ${name}`, () => read(group, name, signal), state, operation === "delete" ? "gone" : "Succeeded", signal, 30 * 60_000);
      return r ? toActual(r) : actual;
    },
  };
}
