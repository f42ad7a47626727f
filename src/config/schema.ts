// The shapes of the configuration sections NIC interprets, with Nebari's real key names (nebari-stages.md §1).
// Each shape is a plain arktype definition, so the same table gives the allowed keys, the validator (built on first use) and the
// JSON Schema (arktype's own export). This module is imported only by commands that read a configuration: arktype costs start-up.
import { ark, arkErrors, type ArkError, type Validator } from "./ark.ts";

const TAINT_EFFECT = "'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'";
const TAINT = { "+": "reject", key: "string", value: "string | null", effect: TAINT_EFFECT } as const;
const TAINTS = [[["string", "|", TAINT], "[]"], "|", "null"] as const;

const NODE_GROUP = {
  instance: "string",
  "min_nodes?": "integer >= 0",
  "max_nodes?": "integer >= 1",
  "taints?": TAINTS,
} as const;

export const SHAPES = {
  aws_node_group: {
    ...NODE_GROUP,
    "gpu?": "boolean",
    "single_subnet?": "boolean",
    "permissions_boundary?": "string | null",
    "spot?": "boolean",
    // NIC extensions from the design document (no Nebari equivalent): honoured by EKS, reported in the summary.
    "disk_size?": "integer >= 1",
    "labels?": { "[string]": "string" },
  },
  gcp_node_group: {
    ...NODE_GROUP,
    "preemptible?": "boolean",
    "labels?": { "[string]": "string" },
    "guest_accelerators?": [{ "+": "reject", name: "string", "count?": "integer >= 1" }, "[]"],
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
    "tags?": { "[string]": "string" },
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
    "ip_allocation_policy?": [
      {
        "+": "reject",
        cluster_secondary_range_name: "string",
        services_secondary_range_name: "string",
        cluster_ipv4_cidr_block: "string",
        services_ipv4_cidr_block: "string",
      },
      "|",
      "null",
    ],
    "master_authorized_networks_config?": [{ "+": "reject", cidr_block: "string", display_name: "string" }, "|", "null"],
    "private_cluster_config?": [{ "+": "reject", enable_private_nodes: "boolean", enable_private_endpoint: "boolean", master_ipv4_cidr_block: "string" }, "|", "null"],
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
    "tags?": { "[string]": "string" },
    "network_profile?": [{ "[string]": "string" }, "|", "null"],
    "max_pods?": "integer | null",
    "workload_identity_enabled?": "boolean",
    "azure_policy_enabled?": "boolean | null",
  },
  local: {
    "kube_context?": "string | null",
    "node_selectors?": { "[string]": { "+": "reject", key: "string", value: "string" } },
  },
  terraform_state: {
    "type?": "'remote' | 'local' | 'existing'",
    "backend?": "string | null",
    "config?": { "[string]": "string" },
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
  /** Nebari's bootstrap stage (CICD model): part of the deployment contract checked before stage 02. */
  ci_cd: {
    "+": "reject",
    "type?": "'github-actions' | 'gitlab-ci' | 'none'",
    "branch?": "string",
    "commit_render?": "boolean",
    "before_script?": "(string | object)[]",
    "after_script?": "(string | object)[]",
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
  return Object.keys(SHAPES[shape]).filter((k) => k !== "+").map((k) => k.replace(/\?$/, ""));
}

export interface ShapeError {
  path: (string | number)[];
  code: "required" | "type" | "unexpected";
  /** arktype's description of what fits, e.g. "a string or null". */
  expected: string;
  /** The value found there (the caller describes it). */
  found: unknown;
}

const built = new Map<string, Validator>();
function typeOf(name: ShapeName, keys: string[] = Object.keys(SHAPES[name])): Validator {
  const id = `${name}:${keys.join(",")}`;
  let t = built.get(id);
  if (!t) {
    const shape = SHAPES[name] as Record<string, unknown>;
    built.set(id, (t = ark.type(Object.fromEntries(keys.map((k) => [k, shape[k]])))));
  }
  return t;
}

/**
 * The keys of the shape that can matter for `value`: the required ones, index signatures, `"+"` and the optional keys it
 * has. Building only those is what keeps `nic validate` quick (P2: arktype builds each key's type on first use), and the
 * result is the same: an optional key that is absent can never fail, and an undeclared key is rejected (`"+"`) either way.
 */
function keysFor(name: ShapeName, value: unknown): string[] {
  const all = Object.keys(SHAPES[name]);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return all;
  return all.filter((k) => !k.endsWith("?") || k.slice(0, -1) in value);
}

/** Every way `value` fails the shape; empty when it fits. */
export function shapeErrors(name: ShapeName, value: unknown): ShapeError[] {
  return arkErrors(typeOf(name, keysFor(name, value))(value))?.flatMap(toShapeError) ?? [];
}

/**
 * One arktype error as NIC reports it. A union that failed is reported through the branches that took the value's kind and
 * failed deeper inside it (`taints[0]`), else as one "must be A or B" at the union's own path.
 */
function toShapeError(e: ArkError): ShapeError[] {
  const path = e.path.map((p) => (typeof p === "number" ? p : String(p)));
  if (e.code === "union") {
    const branches = e.errors ?? [];
    const deeper = branches.filter((b) => b.path.length > e.path.length);
    if (deeper.length) return deeper.flatMap(toShapeError);
    return [{ path, code: "type", expected: orList(branches.flatMap((b) => toShapeError(b).map((x) => x.expected))), found: e.data }];
  }
  if (e.code === "required") return [{ path, code: "required", expected: e.expected ?? "a value", found: undefined }];
  if (e.code === "predicate" && e.expected === "removed") return [{ path, code: "unexpected", expected: "removed", found: e.data }];
  return [{ path, code: "type", expected: e.expected ?? e.problem, found: e.data }];
}

function orList(parts: string[]): string {
  const unique = [...new Set(parts.flatMap((p) => p.split(/, | or /)))];
  return unique.length <= 2 ? unique.join(" or ") : `${unique.slice(0, -1).join(", ")} or ${unique.at(-1)}`;
}

/** The shape as JSON Schema (2020-12), from arktype's own export, for `nic schema`. */
export function shapeJsonSchema(name: ShapeName): Record<string, unknown> {
  const { $schema: _, ...schema } = typeOf(name).toJsonSchema();
  return schema;
}
