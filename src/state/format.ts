// The NIC state document (format version 1): what NIC manages, keyed by logical address, plus the intent journal.
// Validation reports every bad field with its path, so a hand-edited state is easy to fix.
import { NicError } from "../cli/errors.ts";
import { VERSION } from "../version.ts";

export const FORMAT_VERSION = "1";

export interface ResourceEntry {
  /** The resource type without the provider prefix, e.g. `eks_cluster`. */
  kind: string;
  /** The cloud's own identifier (cluster name, vpc-…, resource ID). */
  provider_id: string;
  arn?: string;
  /** The attributes NIC manages, as last applied or observed. Never secrets. */
  attributes: Record<string, unknown>;
  /** Addresses this resource needs; deletes run in the reverse order. */
  depends_on?: string[];
  imported_from_terraform: boolean;
  created_at: string;
  updated_at: string;
}

/** One entry of the intent journal: a mutating cloud call that was started and not yet confirmed done. */
export interface PendingOperation {
  id: string;
  address: string;
  /** The resource type, e.g. `eks_cluster`, when the engine knows it. */
  kind?: string;
  operation: "create" | "update" | "delete";
  /** Sent with the call (e.g. EKS clientRequestToken) so a retry after a crash is not a duplicate. */
  idempotency_token: string;
  /** The cloud id, for updates and deletes. */
  resource_id?: string;
  started_at: string;
  /** When the call's request, if the run was cut off with it in flight, has surely ended (its request deadline). */
  in_flight_until?: string;
  /** Set when the call was cut off (cancel, timeout): the cloud may or may not have done it. */
  unknown_reason?: string;
}

export interface StateMetadata {
  created: string;
  updated: string;
  nic_version: string;
  configuration_hash: string | null;
  last_successful_deploy: string | null;
  deploy_count: number;
  /** What kept `nic import --force` from a no-change takeover (src/terraform/report.ts blockersOf). */
  import_blockers?: { kind: string; address?: string; text: string }[];
  /** What `nic import` kept where NIC's default differs from what exists (src/terraform/keep.ts). */
  kept_from_import?: { address: string; field: string; value: unknown; instead_of: unknown }[];
}

export interface State {
  version: string;
  format_version: typeof FORMAT_VERSION;
  provider: string;
  project_name: string;
  region: string;
  /** Fixed when the state is created; a state of another lineage describes another deployment. */
  lineage: string;
  /** Increases by one on every write. */
  serial: number;
  metadata: StateMetadata;
  /** Keyed by logical address `<provider>/<kind>/<name>`, e.g. `aws/eks_cluster/main`, `k8s/namespace/dev`. */
  resources: Record<string, ResourceEntry>;
  pending_operations: PendingOperation[];
}

/** `<provider>/<kind>/<name>`, or `k8s/<kind>/<namespace>/<name>` for namespaced Kubernetes objects. */
export const ADDRESS_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+\/[^/\s]+(\/[^/\s]+)?$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPERATIONS = ["create", "update", "delete"];

export function newState(init: { provider: string; projectName: string; region: string }, now = new Date()): State {
  const at = now.toISOString();
  return {
    version: VERSION,
    format_version: FORMAT_VERSION,
    provider: init.provider,
    project_name: init.projectName,
    region: init.region,
    lineage: crypto.randomUUID(),
    serial: 0,
    metadata: { created: at, updated: at, nic_version: VERSION, configuration_hash: null, last_successful_deploy: null, deploy_count: 0 },
    resources: {},
    pending_operations: [],
  };
}

export interface Problem {
  path: string;
  text: string;
}

/** Checks a parsed format-1 document; returns it typed or throws STATE_INVALID listing every problem. */
export function validateState(doc: unknown, source: string): State {
  const problems: Problem[] = [];
  const check = new Checker(problems);
  if (!check.object(doc, "")) throw invalid(source, problems);
  const d = doc as Record<string, unknown>;
  check.string(d.version, "version");
  if (d.format_version !== FORMAT_VERSION) problems.push({ path: "format_version", text: `format_version: expected "${FORMAT_VERSION}", got ${JSON.stringify(d.format_version)}` });
  check.string(d.provider, "provider");
  check.string(d.project_name, "project_name");
  check.string(d.region, "region", { empty: true });
  if (typeof d.lineage !== "string" || !UUID_PATTERN.test(d.lineage)) problems.push({ path: "lineage", text: "lineage: expected a UUID" });
  if (!Number.isSafeInteger(d.serial) || (d.serial as number) < 0) problems.push({ path: "serial", text: "serial: expected a whole number ≥ 0" });

  if (check.object(d.metadata, "metadata")) {
    const m = d.metadata as Record<string, unknown>;
    check.time(m.created, "metadata.created");
    check.time(m.updated, "metadata.updated");
    check.string(m.nic_version, "metadata.nic_version");
    if (m.configuration_hash !== null) check.string(m.configuration_hash, "metadata.configuration_hash");
    if (m.last_successful_deploy !== null) check.time(m.last_successful_deploy, "metadata.last_successful_deploy");
    if (!Number.isSafeInteger(m.deploy_count) || (m.deploy_count as number) < 0) problems.push({ path: "metadata.deploy_count", text: "metadata.deploy_count: expected a whole number ≥ 0" });
  }

  if (check.object(d.resources, "resources")) {
    for (const [address, entry] of Object.entries(d.resources as Record<string, unknown>)) {
      const at = `resources["${address}"]`;
      if (!ADDRESS_PATTERN.test(address)) problems.push({ path: at, text: `${at}: the address must look like <provider>/<kind>/<name>` });
      if (!check.object(entry, at)) continue;
      const r = entry as Record<string, unknown>;
      check.string(r.kind, `${at}.kind`);
      if (typeof r.kind === "string" && address.split("/")[1] !== r.kind) problems.push({ path: `${at}.kind`, text: `${at}.kind: "${r.kind}" does not match the address` });
      check.string(r.provider_id, `${at}.provider_id`);
      if (r.arn !== undefined) check.string(r.arn, `${at}.arn`);
      check.object(r.attributes, `${at}.attributes`);
      if (r.depends_on !== undefined && !(Array.isArray(r.depends_on) && r.depends_on.every((a) => typeof a === "string"))) {
        problems.push({ path: `${at}.depends_on`, text: `${at}.depends_on: expected a list of addresses` });
      }
      if (typeof r.imported_from_terraform !== "boolean") problems.push({ path: `${at}.imported_from_terraform`, text: `${at}.imported_from_terraform: expected true or false` });
      check.time(r.created_at, `${at}.created_at`);
      check.time(r.updated_at, `${at}.updated_at`);
    }
  }

  if (!Array.isArray(d.pending_operations)) problems.push({ path: "pending_operations", text: "pending_operations: expected a list" });
  else
    d.pending_operations.forEach((op, i) => {
      const at = `pending_operations[${i}]`;
      if (!check.object(op, at)) return;
      const o = op as Record<string, unknown>;
      check.string(o.id, `${at}.id`);
      check.string(o.address, `${at}.address`);
      if (!OPERATIONS.includes(o.operation as string)) problems.push({ path: `${at}.operation`, text: `${at}.operation: expected one of ${OPERATIONS.join(", ")}` });
      check.string(o.idempotency_token, `${at}.idempotency_token`);
      check.time(o.started_at, `${at}.started_at`);
      if (o.in_flight_until !== undefined) check.time(o.in_flight_until, `${at}.in_flight_until`);
    });

  if (problems.length) throw invalid(source, problems);
  return doc as State;
}

function invalid(source: string, problems: Problem[]): NicError {
  return new NicError("STATE_INVALID", `The state at ${source} is not valid NIC state (${problems.length} problem${problems.length === 1 ? "" : "s"})`, {
    details: { source, errors: problems },
    recovery: ["Fix the listed fields, or restore the previous version from <state>.backup (local) or the bucket's object versions (remote)."],
  });
}

class Checker {
  constructor(private readonly problems: Problem[]) {}

  object(value: unknown, path: string): boolean {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return true;
    this.problems.push({ path, text: `${path || "the document"}: expected an object` });
    return false;
  }

  string(value: unknown, path: string, opts: { empty?: boolean } = {}): void {
    if (typeof value !== "string" || (!opts.empty && value === "")) this.problems.push({ path, text: `${path}: expected a non-empty string` });
  }

  time(value: unknown, path: string): void {
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) this.problems.push({ path, text: `${path}: expected an ISO 8601 time` });
  }
}

/** The bytes NIC writes: stable key order as built, two-space indent, trailing newline (friendly to diffs). */
export function serializeState(state: State): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
