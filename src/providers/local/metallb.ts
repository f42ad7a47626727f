// MetalLB v0.12.1 and its layer-2 address pool, as Nebari's local template applies them (infrastructure/template/local/main.tf):
// namespace `metallb-system`, every document of metallb.yaml, then ConfigMap `metallb-system/config` whose pool runs from
// cidrhost(kind subnet, 356) to cidrhost(kind subnet, 406). Applied by NIC's server-side apply engine like stage 03.
import { parseAllDocuments } from "yaml";
import type { Ref, Resource } from "../../engine/types.ts";
import { REPLICATES_ANNOTATION } from "../../kubernetes/index.ts";
import { kindInfo, object } from "../../kubernetes/objects.ts";
import { cidrHost } from "./cidr.ts";
import manifests from "./metallb-v0.12.1.yaml" with { type: "text" };

export const METALLB_VERSION = "v0.12.1";
export const METALLB_NAMESPACE = "metallb-system";
const REPLICATES = { [REPLICATES_ANNOTATION]: `metallb-${METALLB_VERSION}` };

/** Nebari's pool: the 356th to the 406th address of the kind network's subnet (Terraform's cidrhost). */
export function metallbPool(subnet: string): string {
  return `${cidrHost(subnet, 356)}-${cidrHost(subnet, 406)}`;
}

/** The ConfigMap's `config`: Terraform's yamlencode of Nebari's address-pools (keys sorted and quoted, as Terraform writes them). */
export function poolConfig(pool: string): string {
  return `"address-pools":\n- "addresses":\n  - ${JSON.stringify(pool)}\n  "name": "default"\n  "protocol": "layer2"\n`;
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `pool`: the address range, or a ref to the kind cluster's `metallb_config` while the kind network is not known yet. */
export function metallbResources(pool: string | Ref): Resource[] {
  const namespace = object("Namespace", METALLB_NAMESPACE, {}, { annotations: REPLICATES });
  const documents = parseAllDocuments(manifests).map((d) => d.toJS() as Manifest).filter(Boolean);
  const applied = documents.map(({ apiVersion, kind, metadata, ...body }) => {
    if (kindInfo(kind).apiVersion !== apiVersion) throw new Error(`metallb.yaml: ${kind} ${metadata.name} is ${apiVersion}, NIC applies ${kindInfo(kind).apiVersion}`);
    return object(kind, metadata.name, body, {
      namespace: metadata.namespace,
      labels: metadata.labels,
      annotations: { ...metadata.annotations, ...REPLICATES },
      dependsOn: [namespace.address],
    });
  });
  const config = object("ConfigMap", "config", { data: { config: typeof pool === "string" ? poolConfig(pool) : pool } }, {
    namespace: METALLB_NAMESPACE,
    annotations: REPLICATES,
    dependsOn: [namespace.address, ...applied.map((r) => r.address)],
  });
  return [namespace, ...applied, config];
}
