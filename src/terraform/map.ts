// Terraform state → NIC addresses. Pure and linear: one table lookup per instance. Each provider's table lives in maps/.
// Data sources and local_file are skipped on purpose (nothing in the cloud to manage); every other resource NIC has no
// rule for is reported as unmanaged, never dropped silently.
import type { Address } from "../engine/types.ts";
import { instanceAddress, type IndexKey, type TerraformState } from "./tfstate.ts";
import type { Keepable } from "./keep.ts";

/** One NIC resource found in the Terraform state. */
export interface MappedResource {
  /** The Terraform address of the instance it came from. */
  terraform: string;
  address: Address;
  /** The cloud's identifier, as NIC's resource kinds look it up. */
  id: string;
  arn?: string;
  /** A Kubernetes object's UID as Terraform recorded it: its identity, where the id is only its name. */
  uid?: string;
  /** The identifying attributes NIC's kind needs to find it (e.g. a mount target's file system), in NIC's names. */
  attributes?: Record<string, unknown>;
  /** Set when the Terraform address or attributes are from an older Nebari (e.g. `module.efs` before 2024.9.1). */
  history?: string;
  /** What Terraform recorded about sizing, compared with the config in the report. */
  facts?: Facts;
}

export interface Facts {
  kubernetes_version?: string;
  node_groups?: { name: string; instance?: string; min?: number; max?: number }[];
}

export interface UnmanagedResource {
  terraform: string;
  reason: string;
}

export interface Mapping {
  mapped: MappedResource[];
  unmanaged: UnmanagedResource[];
  /** Data sources and local files: read by Terraform, nothing to manage. */
  skipped: string[];
}

export interface Instance {
  /** The resource's name in Terraform (`main`, `ingress_route`). */
  name: string;
  key: IndexKey | undefined;
  attributes: Record<string, unknown>;
}

export interface MapContext {
  namespace: string;
}

export type Target = Omit<MappedResource, "terraform"> | { unmanaged: string };
export type Rule = (instance: Instance, ctx: MapContext) => Target | Target[];

/**
 * A provider's rules, keyed by `<module>.<type>.<name>` with module indices removed (`module.network.aws_vpc.main`);
 * a name of `*` matches any resource of that type in that module.
 */
export interface RuleTable {
  rules: Record<string, Rule>;
  /** Modules whose current Nebari address carries `[0]`, and the release that added it (for the history note). */
  countedModules?: Record<string, string>;
  /** NIC kinds Nebari makes outside Terraform (post-deploy steps): adopted when found live, having no Terraform record. */
  outsideTerraform?: readonly string[];
  /**
   * Per NIC kind, the attributes that are NIC's defaults, not the configuration's words: where what exists differs (an
   * older Nebari made it), import keeps it (keep.ts) instead of planning a change.
   */
  keep?: Keepable;
}

export function mapState(state: TerraformState, table: RuleTable, ctx: MapContext): Mapping {
  const out: Mapping = { mapped: [], unmanaged: [], skipped: [] };
  for (const r of state.resources) {
    const module = r.module?.replace(/\[[^\]]*\]/g, "");
    const prefix = module ? `${module}.` : "";
    const rule = table.rules[`${prefix}${r.type}.${r.name}`] ?? table.rules[`${prefix}${r.type}.*`];
    const uncounted = module && r.module === module ? table.countedModules?.[module] : undefined;
    for (const inst of r.instances) {
      const terraform = instanceAddress(r, inst.index_key);
      if (r.mode === "data" || r.type === "local_file") {
        out.skipped.push(terraform);
        continue;
      }
      if (!rule) {
        out.unmanaged.push({ terraform, reason: `NIC does not manage ${r.type} at this address; it is left as it is and not tracked` });
        continue;
      }
      if (inst.deposed) {
        out.unmanaged.push({ terraform, reason: `a deposed object (${inst.deposed}) Terraform replaced but has not deleted yet; NIC leaves it alone` });
        continue;
      }
      const targets = rule({ name: r.name, key: inst.index_key, attributes: inst.attributes }, ctx);
      for (const t of Array.isArray(targets) ? targets : [targets]) {
        if ("unmanaged" in t) {
          out.unmanaged.push({ terraform, reason: t.unmanaged });
          continue;
        }
        if (!t.id) {
          out.unmanaged.push({ terraform, reason: "Terraform recorded no id for it (a partly created resource); NIC cannot look it up" });
          continue;
        }
        const tainted = inst.status === "tainted" && "tainted in Terraform (its next apply would replace it)";
        const history = [uncounted && `${module} without [0] (Nebari before ${uncounted})`, t.history, tainted].filter(Boolean).join("; ");
        out.mapped.push({ terraform, ...t, ...(history ? { history } : {}) });
      }
    }
  }
  return out;
}

// Small readers shared by the tables. Terraform stores nested blocks as one-element lists.

export function str(attributes: Record<string, unknown>, field: string): string {
  const value = attributes[field];
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

export function block(attributes: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = attributes[field];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "object" && first !== null ? (first as Record<string, unknown>) : {};
}

export function num(value: unknown): number | undefined {
  return typeof value === "number" ? value : typeof value === "string" && value !== "" && !Number.isNaN(Number(value)) ? Number(value) : undefined;
}

/** A resource with one instance in Nebari's templates, keyed by its id attribute. */
export function single(address: Address, idField = "id", extra: (a: Record<string, unknown>) => Partial<MappedResource> = () => ({})): Rule {
  return ({ attributes }) => ({ address, id: str(attributes, idField) || str(attributes, "id"), ...arnOf(attributes), ...extra(attributes) });
}

/** A count-indexed resource: the index becomes the last address segment. */
export function counted(prefix: string, idField = "id"): Rule {
  return ({ key, attributes }) => ({ address: `${prefix}/${key ?? 0}`, id: str(attributes, idField) || str(attributes, "id"), ...arnOf(attributes) });
}

export function arnOf(attributes: Record<string, unknown>): { arn?: string } {
  return typeof attributes.arn === "string" && attributes.arn ? { arn: attributes.arn } : {};
}
