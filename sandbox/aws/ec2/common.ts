// Shared EC2 pieces: tag sets, the filter engine, lookups that raise the right *.NotFound code.
import { AwsError } from "../../protocols/errors.ts";
import { list, page } from "../../protocols/query.ts";
import type { Resource, Tags, World } from "../../world.ts";

export const tagSet = (tags: Tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));

/** Tags from TagSpecification.N entries whose ResourceType matches. */
export function specTags(params: Record<string, any>, resourceType: string): Tags {
  const tags: Tags = {};
  for (const spec of list<any>(params.TagSpecification)) {
    if (spec.ResourceType !== resourceType) continue;
    for (const t of list<any>(spec.Tag)) tags[t.Key] = t.Value ?? "";
  }
  return tags;
}

/** The values a resource exposes to one filter name; tag:<key> and tag-key are handled for every type. */
export type FilterFields<T> = (r: T) => Record<string, string | string[] | undefined>;

function globToRegExp(glob: string): RegExp {
  return new RegExp("^" + glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
}

export function matchesFilters<T extends Resource>(r: T, filters: { Name: string; Value?: string[] }[], fields: FilterFields<T>): boolean {
  if (!filters.length) return true;
  const f = fields(r);
  return filters.every(({ Name, Value }) => {
    let actual: string[];
    if (Name.startsWith("tag:")) actual = r.tags[Name.slice(4)] === undefined ? [] : [r.tags[Name.slice(4)]!];
    else if (Name === "tag-key") actual = Object.keys(r.tags);
    else if (Name === "tag-value") actual = Object.values(r.tags);
    else {
      const v = f[Name];
      if (v === undefined && !(Name in f)) throw new AwsError("InvalidParameterValue", `The filter '${Name}' is invalid`);
      actual = v === undefined ? [] : Array.isArray(v) ? v : [v];
    }
    const wanted = list<string>(Value).map(globToRegExp);
    return actual.some((a) => wanted.some((w) => w.test(a)));
  });
}

/**
 * The Describe* pattern: optional id list (unknown id → notFoundCode), filters, pagination.
 * Returns the page and the token for the next one.
 */
export function describe<T extends Resource>(
  world: World,
  type: string,
  params: Record<string, any>,
  idParam: string,
  notFoundCode: string,
  noun: string,
  fields: FilterFields<T>,
): { items: T[]; next?: string } {
  const table = world.table<T>(type);
  const ids = list<string>(params[idParam]);
  let items: T[];
  if (ids.length) {
    const missing = ids.filter((id) => !table.has(id));
    if (missing.length) throw new AwsError(notFoundCode, `The ${noun} ID '${missing.join("', '")}' does not exist`);
    items = ids.map((id) => table.get(id)!);
  } else items = [...table.values()];
  const filters = list<any>(params.Filter).map((f) => ({ Name: f.Name, Value: list<string>(f.Value) }));
  items = items.filter((r) => matchesFilters(r, filters, fields));
  return page(items, params.MaxResults, params.NextToken);
}

export function mustGet<T extends Resource>(world: World, type: string, id: string | undefined, notFoundCode: string, noun: string): T {
  const r = id ? world.table<T>(type).get(id) : undefined;
  if (!r) throw new AwsError(notFoundCode, `The ${noun} ID '${id}' does not exist`);
  return r;
}

export const dependency = (message: string) => new AwsError("DependencyViolation", message);

/** A region's four availability zones: us-west-2a … us-west-2d, with ids usw2-az1 … usw2-az4. */
export function zones(region: string) {
  return ["a", "b", "c", "d"].map((letter, i) => ({ zoneName: `${region}${letter}`, zoneId: zoneId(`${region}${letter}`) }));
}

/** us-west-2b → usw2-az2: the region's initials and number, then the zone letter's position. */
export function zoneId(zoneName: string): string {
  const [area = "", direction = "", rest = ""] = zoneName.split("-");
  const letter = rest.slice(-1);
  return `${area}${direction[0] ?? ""}${rest.slice(0, -1)}-az${Math.max(1, letter.charCodeAt(0) - 96)}`;
}

export const bool = (v: unknown) => v === true || v === "true";
