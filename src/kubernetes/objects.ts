// The Kubernetes kinds NIC manages, how their objects are addressed, and NIC's ownership mark.
import type { Address, Resource } from "../engine/types.ts";

/** The one label on every object NIC owns. Only objects carrying it are ever deleted. */
export const OWNER_LABEL = "app.kubernetes.io/managed-by";
export const OWNER_VALUE = "nic";
/** Server-side-apply field manager. */
export const FIELD_MANAGER = "nic";
/** Annotation recording which upstream artifact an object replicates (e.g. `cluster-autoscaler-9.52.1`). */
export const REPLICATES_ANNOTATION = "nic.nebari.dev/replicates";

export interface KindInfo {
  kind: string;
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

const info = (kind: string, apiVersion: string, plural: string, namespaced: boolean): KindInfo => ({ kind, apiVersion, plural, namespaced });

/** Every kind stage 03 uses (and MetalLB for the local provider: ConfigMap). */
export const KINDS: readonly KindInfo[] = [
  info("Namespace", "v1", "namespaces", false),
  info("CustomResourceDefinition", "apiextensions.k8s.io/v1", "customresourcedefinitions", false),
  info("ClusterRole", "rbac.authorization.k8s.io/v1", "clusterroles", false),
  info("ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "clusterrolebindings", false),
  info("ServiceAccount", "v1", "serviceaccounts", true),
  info("Secret", "v1", "secrets", true),
  info("ConfigMap", "v1", "configmaps", true),
  info("Service", "v1", "services", true),
  info("Role", "rbac.authorization.k8s.io/v1", "roles", true),
  info("RoleBinding", "rbac.authorization.k8s.io/v1", "rolebindings", true),
  info("Deployment", "apps/v1", "deployments", true),
  info("DaemonSet", "apps/v1", "daemonsets", true),
  info("Job", "batch/v1", "jobs", true),
  info("CronJob", "batch/v1", "cronjobs", true),
  info("PodDisruptionBudget", "policy/v1", "poddisruptionbudgets", true),
];

/** The engine's kind name: `k8s/deployment`. */
export const engineKind = (kind: string) => `k8s/${kind.toLowerCase()}`;

export function kindInfo(kind: string): KindInfo {
  const found = KINDS.find((k) => k.kind === kind || engineKind(k.kind) === kind);
  if (!found) throw new Error(`NIC does not manage Kubernetes kind ${kind}`);
  return found;
}

/** `k8s/<kind>/<namespace or _cluster>/<name>` */
export function addressOf(kind: string, namespace: string | undefined, name: string): Address {
  return `${engineKind(kind)}/${namespace ?? "_cluster"}/${name}`;
}

/** The REST path of one object, or of its collection when `name` is omitted. */
export function pathOf(k: KindInfo, namespace: string | undefined, name?: string): string {
  const base = k.apiVersion.includes("/") ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
  const ns = k.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${k.plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, unknown> };
  [field: string]: unknown;
}

export interface ObjectOptions {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, unknown>;
  dependsOn?: Address[];
  immutableFields?: string[];
  protected?: boolean;
}

/** One object as an engine Resource: the manifest is the desired attributes, NIC's ownership label included. */
export function object(kind: string, name: string, body: Record<string, unknown>, opts: ObjectOptions = {}): Resource {
  const k = kindInfo(kind);
  const namespace = k.namespaced ? opts.namespace : undefined;
  const manifest: Manifest = {
    apiVersion: k.apiVersion,
    kind: k.kind,
    metadata: {
      name,
      ...(namespace && { namespace }),
      labels: { ...opts.labels, [OWNER_LABEL]: OWNER_VALUE },
      ...(opts.annotations && { annotations: opts.annotations }),
    },
    ...body,
  };
  return {
    address: addressOf(k.kind, namespace, name),
    kind: engineKind(k.kind),
    attributes: manifest,
    ...(opts.dependsOn?.length && { dependsOn: opts.dependsOn }),
    ...(opts.immutableFields && { immutableFields: opts.immutableFields }),
    ...(opts.protected && { protected: true }),
  };
}

/** The inverse of addressOf: `k8s/deployment/dev/x` → Deployment in dev named x. */
export function parseAddress(address: Address): { kind: KindInfo; namespace: string | undefined; name: string } {
  const [prefix, kind, scope, ...rest] = address.split("/");
  if (prefix !== "k8s" || !kind || !scope || rest.length === 0) throw new Error(`${address} is not a Kubernetes object address`);
  return { kind: kindInfo(`k8s/${kind}`), namespace: scope === "_cluster" ? undefined : scope, name: rest.join("/") };
}
