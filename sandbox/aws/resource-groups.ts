// Resource Groups (REST-JSON, signing name "resource-groups"): tag-query groups such as Nebari's accounting group.
import { AwsError, notFound } from "../protocols/errors.ts";
import { json } from "../protocols/json.ts";
import type { Resource, World } from "../world.ts";
import { restJsonService, type RestRoute } from "./service.ts";

export interface Group extends Resource {
  arn: string;
  description?: string;
  resourceQuery?: { Type: string; Query: string };
  configuration?: unknown[];
}

const TYPE = "resource-groups:group";

function group(world: World, nameOrArn: unknown): Group {
  const name = String(nameOrArn ?? "").replace(/^arn:.*:group\//, "");
  const g = world.table<Group>(TYPE).get(name);
  if (!g) throw notFound("NotFoundException", `Cannot find group ${name}.`);
  return g;
}

const identify = (b: Record<string, unknown>) => b.Group ?? b.GroupName;
const render = (g: Group) => ({ GroupArn: g.arn, Name: g.id, Description: g.description });

const routes: RestRoute[] = [
  ["POST", "/groups", "CreateGroup", ({ body, world }) => {
    const name = String(body.Name ?? "");
    if (!/^[a-zA-Z0-9_.-]{1,300}$/.test(name)) throw new AwsError("BadRequestException", `Invalid group name: ${name}`);
    if (world.table(TYPE).has(name)) throw new AwsError("BadRequestException", `Cannot create group: group already exists`);
    const g = world.put<Group>({
      type: TYPE,
      id: name,
      name,
      tags: body.Tags ?? {},
      arn: `arn:aws:resource-groups:${world.region}:${world.account}:group/${name}`,
      description: body.Description,
      resourceQuery: body.ResourceQuery,
      configuration: body.Configuration,
    });
    return json({ Group: render(g), ResourceQuery: g.resourceQuery, Tags: g.tags, GroupConfiguration: g.configuration ? { Configuration: g.configuration, Status: "UPDATE_COMPLETE" } : undefined });
  }],
  ["POST", "/get-group", "GetGroup", ({ body, world }) => json({ Group: render(group(world, identify(body))) })],
  ["POST", "/get-group-query", "GetGroupQuery", ({ body, world }) => {
    const g = group(world, identify(body));
    return json({ GroupQuery: { GroupName: g.id, ResourceQuery: g.resourceQuery } });
  }],
  ["POST", "/get-group-configuration", "GetGroupConfiguration", ({ body, world }) => {
    const g = group(world, identify(body));
    return json({ GroupConfiguration: g.configuration ? { Configuration: g.configuration, Status: "UPDATE_COMPLETE" } : {} });
  }],
  ["POST", "/update-group", "UpdateGroup", ({ body, world }) => {
    const g = group(world, identify(body));
    if (body.Description !== undefined) g.description = body.Description;
    world.changed();
    return json({ Group: render(g) });
  }],
  ["POST", "/update-group-query", "UpdateGroupQuery", ({ body, world }) => {
    const g = group(world, identify(body));
    g.resourceQuery = body.ResourceQuery;
    world.changed();
    return json({ GroupQuery: { GroupName: g.id, ResourceQuery: g.resourceQuery } });
  }],
  ["POST", "/delete-group", "DeleteGroup", ({ body, world }) => {
    const g = group(world, identify(body));
    world.remove(TYPE, g.id);
    return json({ Group: render(g) });
  }],
  ["POST", "/groups-list", "ListGroups", ({ world }) => {
    const groups = [...world.table<Group>(TYPE).values()];
    return json({ GroupIdentifiers: groups.map((g) => ({ GroupName: g.id, GroupArn: g.arn })), Groups: groups.map(render) });
  }],
  ["GET", "/resources/{arn}/tags", "GetTags", ({ path, world }) => {
    const g = group(world, path.arn);
    return json({ Arn: g.arn, Tags: g.tags });
  }],
  ["PUT", "/resources/{arn}/tags", "Tag", ({ path, body, world }) => {
    const g = group(world, path.arn);
    Object.assign(g.tags, body.Tags);
    world.changed();
    return json({ Arn: g.arn, Tags: body.Tags });
  }],
  ["PATCH", "/resources/{arn}/tags", "Untag", ({ path, body, world }) => {
    const g = group(world, path.arn);
    for (const k of body.Keys ?? []) delete g.tags[k];
    world.changed();
    return json({ Arn: g.arn, Keys: body.Keys });
  }],
];

export const resourceGroupsModule = restJsonService({ signingName: "resource-groups", envName: "RESOURCE_GROUPS", routes });
