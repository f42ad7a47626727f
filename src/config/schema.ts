// The shapes of the configuration sections NIC interprets, with Nebari's real key names (nebari-stages.md §1).
// Each shape is a plain object of definitions (shape.ts), so the same table gives the allowed keys, the validator and the JSON Schema.
import { arrayOf, check, exactly, jsonSchema, oneOf, recordOf, shape, type Shape, type ShapeError } from "./shape.ts";

export type { ShapeError } from "./shape.ts";

const TAINT_EFFECT = "'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'";
const taintObject = exactly({ key: "string", value: "string | null", effect: TAINT_EFFECT });
const taints = oneOf(arrayOf(oneOf("string", taintObject)), "null");

const NODE_GROUP = {
  instance: "string",
  "min_nodes?": "number.integer >= 0",
  "max_nodes?": "number.integer >= 1",
  "taints?": taints,
} as const;

export const SHAPES = {
  aws_node_group: {
    ...NODE_GROUP,
    "gpu?": "boolean",
    "single_subnet?": "boolean",
    "permissions_boundary?": "string | null",
    "spot?": "boolean",
    // NIC extensions from the design document (no Nebari equivalent): honoured by EKS, reported in the summary.
    "disk_size?": "number.integer >= 1",
    "labels?": "Record<string, string>",
  },
  gcp_node_group: {
    ...NODE_GROUP,
    "preemptible?": "boolean",
    "labels?": "Record<string, string>",
    "guest_accelerators?": arrayOf(exactly({ name: "string", "count?": "number.integer >= 1" })),
  },
  azure_node_group: { ...NODE_GROUP },
  amazon_web_services: {
    region: "string",
    kubernetes_version: "string | null",
    "availability_zones?": "string[] | null",
    "node_groups?": "object",
    "eks_endpoint_access?": "'private' | 'public' | 'public_and_private'",
    "eks_public_access_cidrs?": "string[]",
    "eks_kms_arn?": "string | null",
    "existing_subnet_ids?": "string[] | null",
    "existing_security_group_id?": "string | null",
    "vpc_cidr_block?": "string",
    "permissions_boundary?": "string | null",
    "tags?": "Record<string, string>",
  },
  google_cloud_platform: {
    region: "string",
    project: "string",
    kubernetes_version: "string",
    "availability_zones?": "string[]",
    "release_channel?": "string",
    "node_groups?": "object",
    "tags?": "string[]",
    "networking_mode?": "string",
    "network?": "string",
    "subnetwork?": "string | null",
    "ip_allocation_policy?": oneOf(
      exactly({
        cluster_secondary_range_name: "string",
        services_secondary_range_name: "string",
        cluster_ipv4_cidr_block: "string",
        services_ipv4_cidr_block: "string",
      }),
      "null",
    ),
    "master_authorized_networks_config?": oneOf(exactly({ cidr_block: "string", display_name: "string" }), "null"),
    "private_cluster_config?": oneOf(exactly({ enable_private_nodes: "boolean", enable_private_endpoint: "boolean", master_ipv4_cidr_block: "string" }), "null"),
  },
  azure: {
    region: "string",
    "kubernetes_version?": "string | null",
    "storage_account_postfix?": "string",
    "authorized_ip_ranges?": "string[]",
    "resource_group_name?": "string | null",
    "node_groups?": "object",
    "vnet_subnet_id?": "string | null",
    "private_cluster_enabled?": "boolean",
    "tags?": "Record<string, string>",
    "network_profile?": "Record<string, string> | null",
    "max_pods?": "number.integer | null",
    "workload_identity_enabled?": "boolean",
    "azure_policy_enabled?": "boolean | null",
  },
  local: {
    "kube_context?": "string | null",
    "node_selectors?": recordOf(exactly({ key: "string", value: "string" })),
  },
  terraform_state: {
    "type?": "'remote' | 'local' | 'existing'",
    "backend?": "string | null",
    "config?": "Record<string, string>",
  },
  external_container_reg: {
    "enabled?": "boolean",
    "access_key_id?": "string | null",
    "secret_access_key?": "string | null",
    "extcr_account?": "string | null",
    "extcr_region?": "string | null",
  },
  storage: {
    "type?": "'nfs' | 'cephfs' | 'efs' | null",
    "conda_store?": "string",
    "shared_filesystem?": "string",
  },
  /** The design document's `storage:` inside a provider block (no Nebari equivalent; mapped onto `storage`). */
  provider_storage: {
    "type?": "string",
    "size?": "number | string",
    "path?": "string",
  },
  top: {
    project_name: "string",
    "namespace?": "string",
    "provider?": "'local' | 'existing' | 'aws' | 'gcp' | 'azure'",
    "nebari_version?": "string | number",
    "prevent_deploy?": "boolean",
  },
} as const;
export type ShapeName = keyof typeof SHAPES;

/** `existing` has exactly the shape of `local`. */
export const PROVIDER_SHAPE = {
  aws: "amazon_web_services",
  gcp: "google_cloud_platform",
  azure: "azure",
  local: "local",
  existing: "local",
} as const satisfies Record<string, ShapeName>;

export const NODE_GROUP_SHAPE = { aws: "aws_node_group", gcp: "gcp_node_group", azure: "azure_node_group" } as const satisfies Record<string, ShapeName>;

export function keysOf(shape: ShapeName): string[] {
  return Object.keys(SHAPES[shape]).map((k) => k.replace(/\?$/, ""));
}

const built = new Map<ShapeName, Shape>();
function shapeOf(name: ShapeName): Shape {
  let s = built.get(name);
  if (!s) built.set(name, (s = shape(SHAPES[name])));
  return s;
}

/** Validates a value against a shape: no errors means valid. */
export function shapeErrors(name: ShapeName, value: unknown): ShapeError[] {
  return check(shapeOf(name), value);
}

/** The shape as JSON Schema (2020-12), for `nic schema`. */
export function shapeJsonSchema(name: ShapeName): Record<string, unknown> {
  return jsonSchema(shapeOf(name));
}
