// Objects imported from Terraform are adopted as they are (design document §10: an import changes nothing).
// NIC does not stamp them with its own marks, and a Traefik CRD keeps the schema Nebari's Terraform installed
// instead of NIC's looser one. Their state record (imported_from_terraform, the object's uid) is NIC's proof of ownership.
import type { Actual, Address, Resource } from "../engine/types.ts";
import { OWNER_LABEL, REPLICATES_ANNOTATION } from "./objects.ts";

type Metadata = { labels?: Record<string, string>; annotations?: Record<string, string> };
type CrdVersion = { name: string; schema?: unknown };

/**
 * The desired objects, with each imported one changed to what it was when imported (`imported`: the state's records):
 * NIC's ownership label and replicates annotation take the imported value, or are left out; CRD schemas are the imported ones.
 */
export function adoptImported(desired: Resource[], imported: ReadonlyMap<Address, Actual>): Resource[] {
  return desired.map((resource) => {
    const was = imported.get(resource.address);
    return was ? { ...resource, attributes: adopted(resource.attributes, was.attributes) } : resource;
  });
}

function adopted(desired: Record<string, unknown>, was: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(desired);
  const metadata = out.metadata as Metadata | undefined;
  const before = (was.metadata ?? {}) as Metadata;
  if (metadata) {
    keepValue(metadata, "labels", OWNER_LABEL, before.labels);
    keepValue(metadata, "annotations", REPLICATES_ANNOTATION, before.annotations);
  }
  if (out.kind === "CustomResourceDefinition") copySchemas(out, was);
  return out;
}

/** Each version's schema in `to` (a CRD, or part of one) becomes the one of the same version in `from`, where it has one. */
export function copySchemas(to: Record<string, unknown>, from: Record<string, unknown>): void {
  const versionsOf = (crd: Record<string, unknown>) => (crd.spec as { versions?: CrdVersion[] } | undefined)?.versions ?? [];
  const schemas = new Map(versionsOf(from).map((v) => [v.name, v.schema]));
  for (const v of versionsOf(to)) if (schemas.get(v.name) !== undefined) v.schema = schemas.get(v.name);
}

/** `map[key]` becomes the imported value, or goes. */
function keepValue(metadata: Metadata, field: "labels" | "annotations", key: string, before: Record<string, string> | undefined): void {
  const map = metadata[field];
  if (!map) return;
  if (before?.[key] !== undefined) map[key] = before[key];
  else delete map[key];
}

/** The uids of the imported objects a state records: NIC may delete these although they lack its label. */
export function adoptedUids(imported: ReadonlyMap<Address, Actual>): Set<string> {
  return new Set([...imported.values()].map((a) => a.id));
}
