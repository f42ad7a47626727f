// `nic schema`: a JSON Schema (2020-12) of the sections NIC reads, for editors (yaml-language-server).
// Generated from the same shapes the validator uses, plus the aliases and extensions NIC accepts.
// Rules JSON Schema cannot express (version lists, default taints, cross-field checks) are left to `nic validate`.
import { ALIASES, PASS_THROUGH_KEYS } from "./keys.ts";
import { shapeJsonSchema, type ShapeName } from "./schema.ts";

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[] };

const SECTIONS: ShapeName[] = [
  "amazon_web_services", "google_cloud_platform", "azure", "local", "aws_node_group", "gcp_node_group", "azure_node_group",
  "terraform_state", "external_container_reg", "storage", "provider_storage", "ci_cd",
];
const NODE_GROUPS: Partial<Record<ShapeName, ShapeName>> = {
  amazon_web_services: "aws_node_group",
  google_cloud_platform: "gcp_node_group",
  azure: "azure_node_group",
};
const VERSION = { anyOf: [{ type: "string" }, { type: "number", description: "Unquoted; quote it, since YAML reads 1.20 as 1.2" }, { type: "null" }] };

export function configJsonSchema(): Schema {
  const $defs: Record<string, Schema> = {};
  for (const name of SECTIONS) $defs[name] = section(name);
  const top = section("top");
  Object.assign(top.properties!, {
    project_name: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9\\-_]{1,14}[A-Za-z0-9]$", description: "3-16 characters; starts with a letter, ends with a letter or digit" },
    namespace: { type: "string", pattern: "^[A-Za-z][A-Za-z\\-_]*[A-Za-z]$", default: "dev" },
    amazon_web_services: ref("amazon_web_services"),
    google_cloud_platform: ref("google_cloud_platform"),
    azure: ref("azure"),
    local: nullable(ref("local")),
    existing: nullable(ref("local")),
    terraform_state: ref("terraform_state"),
    external_container_reg: ref("external_container_reg"),
    storage: ref("storage"),
    ci_cd: ref("ci_cd"),
  });
  for (const key of PASS_THROUGH_KEYS) top.properties![key] = { description: "A section of a later Nebari stage; NIC passes it through." };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://nebari.dev/schemas/nic/nebari-config.infrastructure.json",
    title: "Nebari configuration: the sections NIC (stages 02 and 03) reads",
    ...top,
    // Plugins add their own top-level sections; `nic validate --strict` rejects them.
    additionalProperties: true,
    $defs,
  };
}

function section(name: ShapeName): Schema {
  const schema = shapeJsonSchema(name) as Schema;
  if (name !== "top") schema.additionalProperties = false;
  const props = schema.properties!;
  if ("kubernetes_version" in props) props.kubernetes_version = VERSION;
  const groups = NODE_GROUPS[name];
  if (groups) props.node_groups = { type: "object", additionalProperties: ref(groups), minProperties: 1 };
  if (groups || name === "local") props.storage = { ...ref("provider_storage"), description: "NIC extension from the design document; mapped onto the top-level storage section" };
  if (name === "google_cloud_platform") props.zone = { type: "string", deprecated: true, description: "Alias: availability_zones: [zone]" };
  if (name === "local") {
    const selector = (props.node_selectors as Schema).additionalProperties as Schema;
    props.node_selectors = { type: "object", additionalProperties: { anyOf: [selector, { type: "object", minProperties: 1, maxProperties: 1, additionalProperties: { type: "string" }, description: "Alias form {label: value}" }] } };
  }
  for (const [alias, canonical] of Object.entries(ALIASES[name] ?? {})) {
    props[alias] = { ...props[canonical], deprecated: true, description: `Alias of ${canonical} (the design document's spelling)` };
    if (schema.required?.includes(canonical)) {
      schema.required = schema.required.filter((k) => k !== canonical);
      schema.anyOf = [{ required: [canonical] }, { required: [alias] }];
    }
  }
  return schema;
}

function ref(name: ShapeName): Schema {
  return { $ref: `#/$defs/${name}` };
}

function nullable(schema: Schema): Schema {
  return { anyOf: [schema, { type: "null" }] };
}
