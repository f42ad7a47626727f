// The resource types the emulator serves, and the discovery documents that describe them.

export interface ResourceType {
  group: string; // "" for the core group
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Subresources served besides the main resource ("status"). */
  subresources?: string[];
  /** Groupings such as "all" (`kubectl get all`). */
  categories?: string[];
}

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

const IN_ALL = new Set(["Service", "Deployment", "DaemonSet", "Job", "CronJob"]);

function type(group: string, version: string, kind: string, plural: string, namespaced: boolean, shortNames?: string[], status = false): ResourceType {
  return { group, version, kind, plural, singular: kind.toLowerCase(), namespaced, shortNames, subresources: status ? ["status"] : undefined,
    categories: IN_ALL.has(kind) ? ["all"] : undefined };
}

/** The kinds NIC manages (Nebari stage 03), with the scope, short names and status subresources of the real API. */
export const BUILTIN_TYPES: ResourceType[] = [
  type("", "v1", "Namespace", "namespaces", false, ["ns"], true),
  type("", "v1", "ServiceAccount", "serviceaccounts", true, ["sa"]),
  type("", "v1", "Secret", "secrets", true),
  type("", "v1", "ConfigMap", "configmaps", true, ["cm"]),
  type("", "v1", "Service", "services", true, ["svc"], true),
  type("apps", "v1", "Deployment", "deployments", true, ["deploy"], true),
  type("apps", "v1", "DaemonSet", "daemonsets", true, ["ds"], true),
  type("batch", "v1", "Job", "jobs", true, undefined, true),
  type("batch", "v1", "CronJob", "cronjobs", true, ["cj"], true),
  type("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["pdb"], true),
  type("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
  type("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
  type("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
  type("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
  type("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, ["sc"]),
  type("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, ["crd", "crds"], true),
  type("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, ["pc"]),
];

export const isBuiltin = (t: ResourceType) => BUILTIN_TYPES.some((b) => b.group === t.group && b.plural === t.plural);

/** Kinds whose spec changes bump metadata.generation (workloads, CRDs and every custom resource); others have none. */
const GENERATION_KINDS = new Set(["Deployment", "DaemonSet", "Job", "CronJob", "CustomResourceDefinition"]);
export const hasGeneration = (t: ResourceType) => !isBuiltin(t) || GENERATION_KINDS.has(t.kind);

export const groupVersion = (t: { group: string; version: string }) => (t.group ? `${t.group}/${t.version}` : t.version);

/** Built-in types plus the versions of every established CRD. */
export class Registry {
  private readonly types = new Map<string, ResourceType>();

  constructor() {
    for (const t of BUILTIN_TYPES) this.add(t);
  }

  add(t: ResourceType) {
    this.types.set(`${t.group}/${t.version}/${t.plural}`, t);
  }

  removeGroupResource(group: string, plural: string) {
    for (const [key, t] of this.types) if (t.group === group && t.plural === plural) this.types.delete(key);
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.get(`${group}/${version}/${plural}`);
  }

  /** Any served version of a group/kind: used to read apiVersion/kind of a request body. */
  findKind(apiVersion: string, kind: string): ResourceType | undefined {
    for (const t of this.types.values()) if (groupVersion(t) === apiVersion && t.kind === kind) return t;
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** `/api/v1` or `/apis/<group>/<version>`; undefined when the group version is not served. */
  resourceList(group: string, version: string) {
    const served = this.all().filter((t) => t.group === group && t.version === version);
    if (served.length === 0) return undefined;
    const resources = served.flatMap((t) => [
      { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: VERBS, ...(t.shortNames ? { shortNames: t.shortNames } : {}), ...(t.categories ? { categories: t.categories } : {}) },
      ...(t.subresources ?? []).map((sub) => ({ name: `${t.plural}/${sub}`, singularName: "", namespaced: t.namespaced, kind: t.kind, verbs: ["get", "patch", "update"] })),
    ]);
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupVersion({ group, version }), resources };
  }

  /** `/apis`: every named group, its versions and the preferred (first registered) one. */
  groupList() {
    const groups = new Map<string, string[]>();
    for (const t of this.types.values()) {
      if (!t.group) continue;
      const versions = groups.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      groups.set(t.group, versions);
    }
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }
}
