// Container registries: globally unique alphanumeric names, create as a long-running PUT, delete with 202.
import type { World } from "../world.ts";
import { ArmError, groupId, key, normalLocation, notFound, requireGroup, type Route } from "./arm.ts";
import type { Lifecycle, Transitioning } from "./lifecycle.ts";

export const REGISTRY = "azure:registry";

export interface RegistryRecord extends Transitioning {
  sku: string;
  props: Record<string, any>;
}

const SKUS = ["Basic", "Standard", "Premium"];

function body(r: RegistryRecord) {
  return {
    id: r.armId,
    name: r.name,
    type: "Microsoft.ContainerRegistry/registries",
    location: r.location,
    tags: r.tags,
    sku: { name: r.sku, tier: r.sku },
    properties: { ...r.props, provisioningState: r.provisioningState },
  };
}

export function acrRoutes(world: World, lifecycle: Lifecycle): Route[] {
  const table = () => world.table<RegistryRecord>(REGISTRY);
  const R = "/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.containerregistry/registries";
  const route = (method: string, path: string, action: string, handle: Route["handle"]): Route => ({ method, path, service: "containerregistry", action, handle });
  const armIdOf = (rg: string, name: string) => `${groupId(requireGroup(world, rg).name)}/providers/Microsoft.ContainerRegistry/registries/${name}`;
  const find = (params: Record<string, string>) => {
    const r = table().get(key(armIdOf(params.rg!, params.registry!)));
    if (!r) throw notFound("Microsoft.ContainerRegistry/registries", params.registry!, params.rg);
    return r;
  };
  return [
    route("GET", "/subscriptions/{sub}/providers/microsoft.containerregistry/registries", "Registries_List", () => ({ status: 200, body: { value: [...table().values()].map(body) } })),
    route("GET", R, "Registries_ListByResourceGroup", (r) => {
      const rg = requireGroup(world, r.params.rg!);
      return { status: 200, body: { value: [...table().values()].filter((x) => x.id.startsWith(`${key(groupId(rg.name))}/`)).map(body) } };
    }),
    route("GET", `${R}/{registry}`, "Registries_Get", (r) => ({ status: 200, body: body(find(r.params)) })),
    route("PUT", `${R}/{registry}`, "Registries_Create", (r) => {
      const name = r.params.registry!;
      if (!/^[a-zA-Z0-9]{5,50}$/.test(name)) throw new ArmError("InvalidRegistryName", `Registry name '${name}' is invalid: it may contain only alphanumeric characters and must be between 5 and 50 characters.`, 400);
      const armId = armIdOf(r.params.rg!, name);
      const previous = table().get(key(armId));
      const taken = [...table().values()].find((x) => x.name.toLowerCase() === name.toLowerCase() && x.id !== key(armId));
      if (taken) throw new ArmError("AlreadyInUse", `The registry DNS name ${name.toLowerCase()}.azurecr.io is already in use.`, 409);
      const sku = r.body?.sku?.name;
      if (!SKUS.includes(sku)) throw new ArmError("InvalidSku", `The SKU '${sku}' is not valid. Valid SKUs: ${SKUS.join(", ")}.`, 400);
      if (!r.body?.location) throw new ArmError("LocationRequired", "The location property is required for this definition.", 400);
      const location = normalLocation(r.body.location);
      if (previous && previous.location !== location) throw new ArmError("PropertyChangeNotAllowed", "Changing property 'location' is not allowed.", 400);
      const props = {
        loginServer: `${name.toLowerCase()}.azurecr.io`,
        creationDate: previous?.props.creationDate ?? new Date().toISOString(),
        adminUserEnabled: false,
        publicNetworkAccess: "Enabled",
        networkRuleBypassOptions: "AzureServices",
        zoneRedundancy: "Disabled",
        anonymousPullEnabled: false,
        dataEndpointEnabled: false,
        policies: { quarantinePolicy: { status: "disabled" }, trustPolicy: { type: "Notary", status: "disabled" }, retentionPolicy: { days: 7, status: "disabled" }, exportPolicy: { status: "enabled" } },
        encryption: { status: "disabled" },
        ...previous?.props,
        ...r.body?.properties,
      };
      delete props.provisioningState;
      const record: RegistryRecord = { type: REGISTRY, id: key(armId), armId, name: previous?.name ?? name, location, tags: r.body?.tags ?? {}, sku, props, provisioningState: "Succeeded" };
      if (previous) {
        world.put(record);
        return { status: 200, body: body(record) };
      }
      const op = lifecycle.begin(record, "Creating", "acrCreate");
      return { status: 201, body: body(record), headers: lifecycle.headers("Microsoft.ContainerRegistry", location, op, false) };
    }),
    route("PATCH", `${R}/{registry}`, "Registries_Update", (r) => {
      const x = find(r.params);
      if (r.body?.tags) x.tags = r.body.tags;
      if (r.body?.sku?.name) x.sku = r.body.sku.name;
      Object.assign(x.props, r.body?.properties ?? {});
      world.put(x);
      return { status: 200, body: body(x) };
    }),
    route("DELETE", `${R}/{registry}`, "Registries_Delete", (r) => {
      const x = table().get(key(armIdOf(r.params.rg!, r.params.registry!)));
      if (!x) return { status: 204 };
      const op = lifecycle.begin(x, "Deleting", "acrDelete");
      return { status: 202, headers: lifecycle.headers("Microsoft.ContainerRegistry", x.location, op, true) };
    }),
  ];
}
