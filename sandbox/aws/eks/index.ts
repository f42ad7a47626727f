// EKS (REST-JSON, signing name "eks"): clusters, node groups, add-ons and their tags.
import { AwsError } from "../../protocols/errors.ts";
import { json } from "../../protocols/json.ts";
import type { Resource, World } from "../../world.ts";
import { restJsonService, type AwsService } from "../service.ts";
import { ADDON, addonRoutes, settleAddons } from "./addons.ts";
import { CLUSTER, clusterRoutes, settleClusters } from "./clusters.ts";
import { NODEGROUP, nodegroupRoutes, settleNodegroups } from "./nodegroups.ts";
import type { EksRuntime } from "./runtime.ts";
import { versionRoutes } from "./versions.ts";

function byArn(world: World, arn: string): Resource {
  for (const type of [CLUSTER, NODEGROUP, ADDON]) {
    for (const r of world.table<Resource & { arn: string }>(type).values()) if (r.arn === arn) return r;
  }
  throw new AwsError("NotFoundException", `Resource ${arn} not found`, 404);
}

export function eksModule(runtime: EksRuntime): AwsService {
  const service = restJsonService({
    signingName: "eks",
    envName: "EKS",
    routes: [
      ...clusterRoutes(runtime),
      ...nodegroupRoutes,
      ...addonRoutes,
      ...versionRoutes,
      ["GET", "/tags/{arn}", "ListTagsForResource", ({ path, world }) => json({ tags: byArn(world, path.arn!).tags })],
      ["POST", "/tags/{arn}", "TagResource", ({ path, body, world }) => {
        Object.assign(byArn(world, path.arn!).tags, body.tags);
        world.changed();
        return json({});
      }],
      ["DELETE", "/tags/{arn}", "UntagResource", ({ path, query, world }) => {
        const r = byArn(world, path.arn!);
        for (const k of query.getAll("tagKeys")) delete r.tags[k];
        world.changed();
        return json({});
      }],
    ],
  });
  return {
    ...service,
    settle(world, now) {
      settleClusters(world, now, runtime);
      settleNodegroups(world, now);
      settleAddons(world, now);
    },
  };
}
