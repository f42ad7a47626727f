// What the API server and its controllers do to specific kinds: defaults on write and the status they report.
import type { Obj } from "./patch.ts";
import type { ResourceType } from "./resources.ts";

export const timestamp = (at = new Date()) => at.toISOString().replace(/\.\d+Z$/, "Z");

/** Defaults the API server fills in on every write (idempotent). */
export function applyDefaults(kind: string, obj: Obj, allocate: { clusterIP: () => string; nodePort: () => number }) {
  const spec = (obj.spec ??= {});
  switch (kind) {
    case "Namespace":
      obj.metadata.labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": obj.metadata.name };
      spec.finalizers ??= ["kubernetes"];
      obj.status ??= { phase: "Active" };
      break;
    case "Secret":
      if (obj.stringData) {
        obj.data = { ...obj.data };
        for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString("base64");
        delete obj.stringData;
      }
      obj.type ??= "Opaque";
      delete obj.spec;
      break;
    case "Service":
      spec.type ??= "ClusterIP";
      spec.sessionAffinity ??= "None";
      spec.clusterIP ??= allocate.clusterIP();
      spec.clusterIPs ??= [spec.clusterIP];
      for (const port of spec.ports ?? []) {
        port.protocol ??= "TCP";
        port.targetPort ??= port.port;
        if (spec.type === "LoadBalancer" || spec.type === "NodePort") port.nodePort ??= allocate.nodePort();
      }
      obj.status ??= { loadBalancer: {} };
      break;
    case "Deployment":
      spec.replicas ??= 1;
      spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } };
      break;
    case "ServiceAccount": case "ConfigMap": case "Role": case "ClusterRole": case "RoleBinding": case "ClusterRoleBinding":
    case "StorageClass": case "PriorityClass":
      if (Object.keys(spec).length === 0) delete obj.spec;
      break;
  }
}

/** The status a workload's controller reports once its pods are up. */
export function readyStatus(kind: string, obj: Obj): Obj | undefined {
  const generation = obj.metadata.generation;
  const now = timestamp();
  switch (kind) {
    case "Deployment": {
      const n = obj.spec?.replicas ?? 1;
      return {
        observedGeneration: generation, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n,
        conditions: [
          { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastUpdateTime: now, lastTransitionTime: now },
          { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${obj.metadata.name}" has successfully progressed.`, lastUpdateTime: now, lastTransitionTime: now },
        ],
      };
    }
    case "DaemonSet":
      return { observedGeneration: generation, currentNumberScheduled: 1, desiredNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1, updatedNumberScheduled: 1 };
    default:
      return undefined;
  }
}

/** The served types of a CRD: one per served version. */
export function crdTypes(crd: Obj): ResourceType[] {
  const { group, names, scope, versions } = crd.spec ?? {};
  return (versions ?? []).filter((v: Obj) => v.served !== false).map((v: Obj) => ({
    group, version: v.name, plural: names.plural, singular: names.singular ?? names.kind.toLowerCase(), kind: names.kind,
    namespaced: scope !== "Cluster", shortNames: names.shortNames, categories: names.categories, subresources: v.subresources?.status ? ["status"] : undefined,
  }));
}

export function establishedStatus(crd: Obj): Obj {
  const now = timestamp();
  const names = crd.spec.names;
  const storage = (crd.spec.versions ?? []).find((v: Obj) => v.storage)?.name ?? crd.spec.versions?.[0]?.name;
  return {
    conditions: [
      { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found", lastTransitionTime: now },
      { type: "Established", status: "True", reason: "InitialNamesAccepted", message: "the initial names have been accepted", lastTransitionTime: now },
    ],
    acceptedNames: { plural: names.plural, singular: names.singular ?? names.kind.toLowerCase(), kind: names.kind, listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}) },
    storedVersions: storage ? [storage] : [],
  };
}
