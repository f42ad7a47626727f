// Just enough OpenAPI v3 for kubectl: it checks that PATCH of a kind takes `fieldValidation` before it lets the server
// validate, and refuses to apply when it cannot download the document. No schemas: kubectl then builds strategic merge
// patches from its built-in types (and JSON merge patches for custom resources).
import { createHash } from "node:crypto";
import { groupVersion, type Registry, type ResourceType } from "./resources.ts";
import { pathNotFound } from "./status.ts";

const prefix = (t: { group: string; version: string }) => (t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`);

function gvDocs(registry: Registry) {
  const docs = new Map<string, ResourceType[]>();
  for (const t of registry.all()) docs.set(prefix(t), [...(docs.get(prefix(t)) ?? []), t]);
  return docs;
}

const hash = (types: ResourceType[]) => createHash("sha256").update(JSON.stringify(types)).digest("hex").slice(0, 16).toUpperCase();

/** `/openapi/v3`: one entry per group version, with a hash that changes when its types do (clients cache by it). */
export function openapiRoot(registry: Registry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [gv, types] of gvDocs(registry)) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash(types)}` };
  return { paths };
}

const param = (name: string) => ({ name, in: "query", schema: { type: "string", uniqueItems: true } });

/** `/openapi/v3/<api/v1 | apis/group/version>`: a PATCH operation per kind, tagged with its group/version/kind. */
export function openapiGroupVersion(registry: Registry, gv: string) {
  const types = gvDocs(registry).get(gv);
  if (!types) throw pathNotFound();
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const path = `/${gv}${t.namespaced ? "/namespaces/{namespace}" : ""}/${t.plural}/{name}`;
    paths[path] = {
      patch: {
        operationId: `patch${t.kind}`,
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: t.group, version: t.version, kind: t.kind },
        parameters: ["dryRun", "fieldManager", "fieldValidation", "force"].map(param),
        requestBody: { content: Object.fromEntries(["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]
          .map((type) => [type, { schema: { type: "object" } }])) },
        responses: { "200": { description: "OK" } },
      },
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: groupVersion(types[0]!) }, paths, components: { schemas: {} } };
}
