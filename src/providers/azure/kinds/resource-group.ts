// azure/resource_group: Nebari's main resource group. When the config names `resource_group_name`, Nebari imports the
// existing group (tofu import); NIC adopts it likewise and never deletes it. A group Nebari's Terraform created (imported
// from its state) is the deployment's, as one NIC created.
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AzureClients } from "../clients.ts";
import { parseArmId } from "../arm-id.ts";
import { isNotFound, orNotFound, waitFor } from "../errors.ts";

export function resourceGroupKind(azure: AzureClients, opts: { adoptable: boolean }): ResourceKind {
  async function read(name: string, createdByNic: boolean, signal: AbortSignal): Promise<Actual | undefined> {
    const client = await azure.resources();
    const g = await orNotFound(() => client.resourceGroups.get(name, { abortSignal: signal }));
    if (!g) return undefined;
    return {
      id: g.id!,
      attributes: { name: g.name, location: g.location, tags: g.tags ?? {}, created_by_nic: createdByNic },
      ...(g.properties?.provisioningState === "Deleting" ? { deleting: true } : {}),
    };
  }
  return {
    kind: "azure/resource_group",
    timeoutMs: 30 * 60_000,
    // A PUT by name: sent twice (a rerun after a kill), it makes one resource; the rerun need not wait for the first.
    createsOnce: true,
    // Adopting the group the config names is what Nebari does; the journal's ownership check is not needed for it.
    idempotent: opts.adoptable,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const name = parseArmId(l.tracked?.id)?.group ?? String(l.desired?.attributes.name);
          // Whether destroy may delete it: as recorded; else (an import from Terraform, or a first sight) unless the config names it.
          const createdByNic = typeof l.tracked?.attributes.created_by_nic === "boolean" ? l.tracked.attributes.created_by_nic : !opts.adoptable;
          const actual = await read(name, createdByNic, signal);
          if (actual) out.set(l.address, actual);
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const client = await azure.resources();
      const a = resource.attributes;
      const g = await client.resourceGroups.createOrUpdate(String(a.name), { location: String(a.location), tags: a.tags as Record<string, string> }, { abortSignal: signal });
      return { id: g.id!, attributes: { name: g.name, location: g.location, tags: g.tags ?? {}, created_by_nic: true } };
    },
    async update(resource, actual, _changes, { signal }) {
      const client = await azure.resources();
      const g = await client.resourceGroups.update(actual.attributes.name as string, { tags: resource.attributes.tags as Record<string, string> }, { abortSignal: signal });
      return { ...actual, attributes: { ...actual.attributes, tags: g.tags ?? {} } };
    },
    async delete(actual, { signal }) {
      if (actual.attributes.created_by_nic !== true) return; // adopted: it was there before NIC and stays
      const client = await azure.resources();
      try {
        await client.resourceGroups.beginDelete(actual.attributes.name as string, { abortSignal: signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async wait(actual, operation, { signal }) {
      if (operation !== "delete" || actual.attributes.created_by_nic !== true) return actual;
      const name = actual.attributes.name as string;
      await waitFor(`resource group ${name}`, () => read(name, true, signal), () => "Deleting", "gone", signal, 30 * 60_000);
      return actual;
    },
  };
}
