// Resource groups (synchronous PUT, 202 + Location DELETE that takes everything inside with it) and the generic
// resource listings az uses.
import type { World } from "../world.ts";
import { ArmError, groupId, key, normalLocation, notFound, type ArmRecord, type Reply, type Route } from "./arm.ts";
import type { Lifecycle, Transitioning } from "./lifecycle.ts";

export const GROUP = "azure:resource-group";

export interface GroupRecord extends Transitioning {
  /** Set on a managed cluster's node resource group. */
  managedBy?: string;
}

export function groupBody(g: GroupRecord) {
  return {
    id: g.armId,
    name: g.name,
    type: "Microsoft.Resources/resourceGroups",
    location: g.location,
    tags: g.tags,
    ...(g.managedBy ? { managedBy: g.managedBy } : {}),
    properties: { provisioningState: g.provisioningState },
  };
}

/** Puts a group (what a PUT or a managed cluster does). */
export function putGroup(world: World, name: string, location: string, tags: Record<string, string>, managedBy?: string): GroupRecord {
  const armId = groupId(name);
  const existing = world.table<GroupRecord>(GROUP).get(key(armId));
  const record: GroupRecord = { ...existing, type: GROUP, id: key(armId), armId, name: existing?.name ?? name, location: normalLocation(location), tags, provisioningState: "Succeeded", ...(managedBy ? { managedBy } : {}) };
  return world.put(record);
}

/** Every azure record inside the group (and, through the group finisher, what their own finishers remove). */
export function contents(world: World, group: string): ArmRecord[] {
  const prefix = `${key(groupId(group))}/`;
  return (world.all() as ArmRecord[]).filter((r) => r.type.startsWith("azure:") && r.type !== GROUP && r.id.startsWith(prefix));
}

const ARM_TYPES: Record<string, string> = {
  "azure:managed-cluster": "Microsoft.ContainerService/managedClusters",
  "azure:registry": "Microsoft.ContainerRegistry/registries",
  "azure:public-ip": "Microsoft.Network/publicIPAddresses",
};

function genericBody(r: ArmRecord) {
  return { id: r.armId, name: r.name, type: ARM_TYPES[r.type] ?? r.type, location: r.location, tags: r.tags };
}

/** `$filter=resourceType eq 'Microsoft.X/y'` (what az uses to find a registry without -g). */
function filtered(records: ArmRecord[], filter: string | null): ArmRecord[] {
  const type = /resourceType eq '([^']+)'/i.exec(filter ?? "")?.[1]?.toLowerCase();
  return records.filter((r) => ARM_TYPES[r.type] && (!type || ARM_TYPES[r.type]!.toLowerCase() === type));
}

export function groupRoutes(world: World, lifecycle: Lifecycle): Route[] {
  const table = () => world.table<GroupRecord>(GROUP);
  const find = (name: string) => {
    const g = table().get(key(groupId(name)));
    if (!g) throw notFound("resourceGroups", name);
    return g;
  };
  const route = (method: string, path: string, action: string, handle: Route["handle"]): Route => ({ method, path, service: "resources", action, handle });
  const G = "/subscriptions/{sub}/resourcegroups/{rg}";
  return [
    route("GET", "/subscriptions/{sub}/resourcegroups", "ResourceGroups_List", () => ({ status: 200, body: { value: [...table().values()].map(groupBody) } })),
    route("PUT", G, "ResourceGroups_CreateOrUpdate", (r) => {
      const existing = table().get(key(groupId(r.params.rg!)));
      if (!r.body?.location) throw new ArmError("LocationRequired", "The location property is required for this definition.", 400);
      if (existing?.provisioningState === "Deleting") throw new ArmError("ResourceGroupBeingDeleted", `The resource group '${existing.name}' is in deprovisioning state and cannot perform this operation.`, 409);
      if (existing && existing.location !== normalLocation(r.body.location)) {
        throw new ArmError("InvalidResourceGroupLocation", `Invalid resource group location '${normalLocation(r.body.location)}'. The Resource group already exists in location '${existing.location}'.`, 409);
      }
      if (!/^[-\w._()]{1,90}$/.test(r.params.rg!) || r.params.rg!.endsWith(".")) throw new ArmError("InvalidResourceGroup", `The provided resource group name '${r.params.rg}' has these invalid characters or length.`, 400);
      const g = putGroup(world, r.params.rg!, r.body.location, r.body.tags ?? {}, r.body.managedBy ?? existing?.managedBy);
      return { status: existing ? 200 : 201, body: groupBody(g) };
    }),
    route("GET", G, "ResourceGroups_Get", (r) => ({ status: 200, body: groupBody(find(r.params.rg!)) })),
    route("HEAD", G, "ResourceGroups_CheckExistence", (r) => ({ status: table().has(key(groupId(r.params.rg!))) ? 204 : 404 })),
    route("PATCH", G, "ResourceGroups_Update", (r) => {
      const g = find(r.params.rg!);
      if (r.body?.tags) g.tags = r.body.tags;
      world.put(g);
      return { status: 200, body: groupBody(g) };
    }),
    route("DELETE", G, "ResourceGroups_Delete", (r): Reply => {
      const g = table().get(key(groupId(r.params.rg!)));
      if (!g) return { status: 404, body: { error: { code: "ResourceGroupNotFound", message: `Resource group '${r.params.rg}' could not be found.` } } };
      const op = lifecycle.begin(g, "Deleting", "groupDelete");
      return { status: 202, headers: { Location: lifecycle.groupDeleteLocation(op), "Retry-After": "1" } };
    }),
    route("GET", `${G}/resources`, "Resources_ListByResourceGroup", (r) => {
      find(r.params.rg!);
      return { status: 200, body: { value: filtered(contents(world, r.params.rg!), r.query.get("$filter")).map(genericBody) } };
    }),
    route("GET", "/subscriptions/{sub}/resources", "Resources_List", (r) => ({
      status: 200,
      body: { value: filtered((world.all() as ArmRecord[]).filter((x) => x.type.startsWith("azure:")), r.query.get("$filter")).map(genericBody) },
    })),
  ];
}
