// Reading any state NIC ever wrote: parse, migrate older format versions step by step, validate.
// Migration happens in memory; the caller writes the result back only while it holds the lock.
import { NicError } from "../cli/errors.ts";
import { VERSION } from "../version.ts";
import { FORMAT_VERSION, validateState, type ResourceEntry, type State } from "./format.ts";

export interface ParsedState {
  state: State;
  /** The format version the document had before migration, when it was older than the current one. */
  migratedFrom?: string;
}

type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
/** MIGRATIONS[v] turns format v into format v+1. */
const MIGRATIONS: Record<string, Migration> = { "0": migrateV0ToV1 };

export function parseState(text: string, source: string): ParsedState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new NicError("STATE_INVALID", `The state at ${source} is not JSON (truncated or corrupt)`, {
      details: { source, reason: (err as Error).message, errors: [{ path: "", text: (err as Error).message }] },
      recovery: ["Restore the previous version from <state>.backup (local) or the bucket's object versions (remote)."],
    });
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { state: validateState(doc, source) };

  let current = doc as Record<string, unknown>;
  const original = formatVersionOf(current);
  let version = original;
  while (version !== FORMAT_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) {
      throw new NicError("STATE_INVALID", `The state at ${source} has format version "${version}", which this NIC (${VERSION}) does not know`, {
        details: { source, format_version: version, supported: [...Object.keys(MIGRATIONS), FORMAT_VERSION], errors: [{ path: "format_version", text: `unknown format version "${version}"` }] },
        recovery: ["A newer NIC wrote this state: upgrade NIC rather than editing the state."],
      });
    }
    current = step(current);
    version = formatVersionOf(current);
  }
  const state = validateState(current, source);
  return original === FORMAT_VERSION ? { state } : { state, migratedFrom: original };
}

/** Format 0 (design document §6.1) had no format_version at first, so a document without one is format 0. */
function formatVersionOf(doc: Record<string, unknown>): string {
  return doc.format_version === undefined ? "0" : String(doc.format_version);
}

// Format 0 nested everything under `cloud` and `kubernetes` with provider-specific shapes.
// Format 1 keys every resource by logical address, adds lineage/serial and the intent journal.
const CLUSTER_KIND: Record<string, [cluster: string, nodeGroup: string, network: string]> = {
  aws: ["eks_cluster", "eks_node_group", "vpc"],
  gcp: ["gke_cluster", "gke_node_pool", "network"],
  azure: ["aks_cluster", "aks_node_pool", "virtual_network"],
};
const CLOUD_LISTS: Record<string, string> = { iam_roles: "iam_role", security_groups: "security_group" };
const K8S_LISTS: Record<string, string> = {
  namespaces: "namespace",
  service_accounts: "service_account",
  storage_classes: "storage_class",
  roles: "role",
  cluster_roles: "cluster_role",
};

function migrateV0ToV1(old: Record<string, unknown>): Record<string, unknown> {
  const provider = String(old.provider ?? "");
  const oldMeta = asRecord(old.metadata);
  const created = String(oldMeta.created_at ?? oldMeta.created ?? new Date().toISOString());
  const updated = String(oldMeta.updated_at ?? oldMeta.updated ?? created);
  const imported = old.imported_from_terraform === true;
  const resources: Record<string, ResourceEntry> = {};
  const add = (prefix: string, kind: string, name: string, item: Record<string, unknown>) => {
    const { id, arn, created_at, ...attributes } = item;
    resources[`${prefix}/${kind}/${name}`] = {
      kind,
      provider_id: String(id ?? arn ?? item.name ?? name),
      ...(typeof arn === "string" ? { arn } : {}),
      attributes,
      imported_from_terraform: imported,
      created_at: String(created_at ?? created),
      updated_at: updated,
    };
  };

  const cloud = asRecord(old.cloud);
  const [clusterKind, nodeGroupKind, networkKind] = CLUSTER_KIND[provider] ?? ["cluster", "node_group", "network"];
  if (cloud.cluster) add(provider, clusterKind, "main", asRecord(cloud.cluster));
  if (cloud.vpc) add(provider, networkKind, "main", asRecord(cloud.vpc));
  for (const group of asList(cloud.node_groups)) add(provider, nodeGroupKind, String(group.name), group);
  for (const volume of asList(asRecord(cloud.storage).volumes)) add(provider, "volume", String(volume.id), volume);
  for (const [list, kind] of Object.entries(CLOUD_LISTS)) for (const item of asList(cloud[list])) add(provider, kind, String(item.name ?? item.id), item);

  const kubernetes = asRecord(old.kubernetes);
  for (const [list, kind] of Object.entries(K8S_LISTS)) {
    for (const item of asList(kubernetes[list])) {
      const name = item.namespace ? `${item.namespace}.${item.name}` : String(item.name);
      add("k8s", kind, name, item);
    }
  }

  return {
    version: String(old.version ?? VERSION),
    format_version: "1",
    provider,
    project_name: old.project_name,
    region: old.region ?? "",
    lineage: crypto.randomUUID(),
    serial: 0,
    metadata: {
      created,
      updated,
      nic_version: String(oldMeta.nic_version ?? old.version ?? VERSION),
      configuration_hash: oldMeta.configuration_hash ?? null,
      last_successful_deploy: oldMeta.last_successful_deploy ?? null,
      deploy_count: oldMeta.last_successful_deploy ? 1 : 0,
    },
    resources,
    pending_operations: [],
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : [];
}
