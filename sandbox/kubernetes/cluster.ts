// One cluster's API semantics: create, update, patch, apply, delete and the controllers that react to them.
import { applyFields, parseManagedFields, renderManagedFields, trackUpdate, type ManagerEntry } from "./fields.ts";
import { applyDefaults, crdTypes, establishedStatus, readyStatus, timestamp } from "./kinds.ts";
import { clone, isObject, type Obj } from "./patch.ts";
import { Registry, groupVersion, hasGeneration, type ResourceType } from "./resources.ts";
import {
  KubeError, alreadyExists, badRequest, invalid, modified, namespaceNotFound, namespaceTerminating, notFound, statusBody,
} from "./status.ts";
import { Store, type Stored } from "./store.ts";

export interface Delays {
  /** Until a new CRD reports Established and its resources are served. */
  crdEstablishedMs: number;
  /** Until a Deployment or DaemonSet reports its replicas available. */
  workloadReadyMs: number;
  /** Between a namespace turning Terminating and its removal. */
  namespaceDeletionMs: number;
}
export const DEFAULT_DELAYS: Delays = { crdEstablishedMs: 50, workloadReadyMs: 0, namespaceDeletionMs: 0 };

export interface LoadBalancerEvent { cluster: string; namespace: string; name: string; action: "created" | "deleted" }
/** May return the load balancer's DNS name (an ELB hostname), written to the Service's status. */
export type LoadBalancerHook = (event: LoadBalancerEvent) => string | void | Promise<string | void>;

export interface WriteOptions { dryRun: boolean; manager: string }
export interface ClusterSnapshot { revision: number; objects: { group: string; version: string; plural: string; obj: Obj }[] }

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const INITIAL_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const NAMESPACE = "namespaces";

const RBAC_KINDS = new Set(["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);

export class Cluster {
  readonly registry = new Registry();
  readonly store = new Store();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private ips = 0;
  private nodePorts = 0;

  constructor(readonly name: string, readonly delays: Delays, private readonly onLoadBalancer?: LoadBalancerHook) {
    const ns = this.type("", "v1", NAMESPACE);
    for (const name of INITIAL_NAMESPACES) {
      void this.create(ns, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } }, { dryRun: false, manager: "kube-apiserver" });
    }
  }

  /** Every object, serialisable; managers travel in metadata.managedFields. */
  snapshot(): ClusterSnapshot {
    return { revision: this.store.revision, objects: this.store.all().map(({ type, obj }) => ({ group: type.group, version: type.version, plural: type.plural, obj: clone(obj) })) };
  }

  /** Replace the cluster's objects with a snapshot's; CRDs that were Established serve their types again. */
  restore(snapshot: ClusterSnapshot) {
    const established = (o: Obj) => o.status?.conditions?.some((c: Obj) => c.type === "Established" && c.status === "True");
    for (const { obj } of snapshot.objects) {
      if (obj.kind === "CustomResourceDefinition" && established(obj)) for (const served of crdTypes(obj)) this.registry.add(served);
    }
    const objects = snapshot.objects.map(({ group, version, plural, obj }) => {
      const type = this.registry.find(group, version, plural);
      if (!type) throw new Error(`snapshot object ${group}/${version}/${plural} ${obj.metadata?.name} has no served type`);
      return { type, obj: clone(obj), managers: parseManagedFields(obj.metadata.managedFields) };
    });
    this.store.load(objects, snapshot.revision);
  }

  type(group: string, version: string, plural: string): ResourceType {
    return this.registry.find(group, version, plural)!;
  }

  stop() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  get(t: ResourceType, namespace: string | undefined, name: string): Obj {
    const stored = this.store.get(t, namespace, name);
    if (!stored) throw notFound(t, name);
    return this.view(t, stored.obj);
  }

  list(t: ResourceType, namespace: string | undefined): Obj[] {
    return this.store.list(t, namespace).map((s) => this.view(t, s.obj));
  }

  /** An object as seen through one version of its type. */
  view(t: ResourceType, obj: Obj): Obj {
    return { ...clone(obj), apiVersion: groupVersion(t), kind: t.kind };
  }

  async create(t: ResourceType, namespace: string | undefined, body: Obj, opts: WriteOptions) {
    const obj = this.prepareNew(t, namespace, body);
    const managers = trackUpdate(undefined, obj, [], opts.manager, groupVersion(t), timestamp());
    return this.commitNew(t, obj, managers, opts);
  }

  async update(t: ResourceType, namespace: string | undefined, name: string, body: Obj, opts: WriteOptions, subresource?: string) {
    const old = this.existing(t, namespace, name);
    this.checkIdentity(t, namespace, name, body);
    const sent = body.metadata?.resourceVersion;
    if (sent !== undefined && sent !== "" && sent !== old.obj.metadata.resourceVersion) throw modified(t, name);
    let next: Obj;
    if (subresource === "status") {
      next = { ...clone(old.obj), status: clone(body.status) };
    } else {
      next = { ...clone(body), apiVersion: old.obj.apiVersion, kind: old.obj.kind };
      next.metadata = { ...next.metadata, namespace: old.obj.metadata.namespace, uid: old.obj.metadata.uid, creationTimestamp: old.obj.metadata.creationTimestamp,
        generation: old.obj.metadata.generation, deletionTimestamp: old.obj.metadata.deletionTimestamp };
      // With a status subresource, writes to the main resource leave status alone.
      if (t.subresources?.includes("status")) {
        if (old.obj.status === undefined) delete next.status;
        else next.status = clone(old.obj.status);
      }
    }
    const clientManaged = body.metadata?.managedFields;
    const managers = Array.isArray(clientManaged) && JSON.stringify(clientManaged) !== JSON.stringify(old.obj.metadata.managedFields)
      ? parseManagedFields(clientManaged)
      : trackUpdate(old.obj, next, old.managers, opts.manager, groupVersion(t), timestamp(), subresource);
    return this.commitUpdate(t, old, next, managers, opts);
  }

  /** A patch is an update computed from the stored object. */
  async patch(t: ResourceType, namespace: string | undefined, name: string, patch: (current: Obj) => Obj, opts: WriteOptions, subresource?: string) {
    const old = this.existing(t, namespace, name);
    const patched = patch(this.view(t, old.obj));
    if (!isObject(patched) || !isObject(patched.metadata)) throw badRequest("the patch did not produce an object");
    return this.update(t, namespace, name, patched, opts, subresource);
  }

  /** Server-side apply; creates the object when it does not exist. */
  async apply(t: ResourceType, namespace: string | undefined, name: string, config: Obj, opts: WriteOptions & { force: boolean }) {
    if (!isObject(config) || !isObject(config.metadata)) throw badRequest("error decoding YAML: the body is not an object with metadata");
    this.checkIdentity(t, namespace, name, config);
    const apiVersion = groupVersion(t);
    const old = this.store.get(t, namespace, name);
    if (!old) {
      const { obj, managers } = applyFields(undefined, [], config, opts.manager, opts.force, apiVersion, timestamp());
      return { obj: await this.commitNew(t, this.prepareNew(t, namespace, { ...obj, metadata: { ...obj.metadata, name } }), managers, opts), created: true };
    }
    const sent = config.metadata.resourceVersion;
    if (sent !== undefined && sent !== old.obj.metadata.resourceVersion) throw modified(t, name);
    const { obj, managers } = applyFields(this.view(t, old.obj), old.managers, config, opts.manager, opts.force, apiVersion, timestamp());
    if (t.subresources?.includes("status")) obj.status = clone(old.obj.status);
    return { obj: await this.commitUpdate(t, old, obj, managers, opts), created: false };
  }

  async delete(t: ResourceType, namespace: string | undefined, name: string, opts: { dryRun: boolean; preconditions?: { uid?: string; resourceVersion?: string } }): Promise<Obj> {
    const stored = this.existing(t, namespace, name);
    const { uid, resourceVersion } = opts.preconditions ?? {};
    if (uid && uid !== stored.obj.metadata.uid) {
      throw new KubeError(409, "Conflict", `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${stored.obj.metadata.uid}`, { name, kind: t.plural });
    }
    if (resourceVersion && resourceVersion !== stored.obj.metadata.resourceVersion) {
      throw new KubeError(409, "Conflict", `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${stored.obj.metadata.resourceVersion}`, { name, kind: t.plural });
    }
    if (t.plural === NAMESPACE && !t.group) return this.terminateNamespace(stored, opts.dryRun);
    if (!opts.dryRun) await this.remove(stored);
    return statusBody("Success", 200, undefined, undefined, { name, ...(t.group ? { group: t.group } : {}), kind: t.plural, uid: stored.obj.metadata.uid });
  }

  // --- the write pipeline ---

  private existing(t: ResourceType, namespace: string | undefined, name: string): Stored {
    const stored = this.store.get(t, namespace, name);
    if (!stored) throw notFound(t, name);
    return stored;
  }

  private checkIdentity(t: ResourceType, namespace: string | undefined, name: string, body: Obj) {
    const meta = body.metadata ?? {};
    if (meta.name !== undefined && meta.name !== name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    if (t.namespaced && meta.namespace !== undefined && meta.namespace !== namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  private prepareNew(t: ResourceType, namespace: string | undefined, body: Obj): Obj {
    if (!isObject(body)) throw badRequest("the body of the request was in an unknown format");
    const obj: Obj = { ...clone(body), apiVersion: groupVersion(t), kind: t.kind };
    const meta = (obj.metadata = { ...obj.metadata });
    if (!meta.name && meta.generateName) meta.name = meta.generateName + Math.random().toString(36).slice(2, 7);
    if (t.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace;
    } else delete meta.namespace;
    this.validate(t, obj);
    if (t.namespaced) {
      const ns = this.store.get(this.type("", "v1", NAMESPACE), undefined, namespace!);
      if (!ns) throw namespaceNotFound(namespace!);
      if (ns.obj.status?.phase === "Terminating") throw namespaceTerminating(t, meta.name, namespace!);
    }
    if (this.store.get(t, namespace, meta.name)) throw alreadyExists(t, meta.name);
    Object.assign(meta, { uid: crypto.randomUUID(), creationTimestamp: timestamp(), ...(hasGeneration(t) ? { generation: 1 } : {}) });
    delete meta.resourceVersion;
    return obj;
  }

  private validate(t: ResourceType, obj: Obj) {
    const name = obj.metadata.name;
    const fail = (field: string, type: string, detail: string, value?: unknown) => invalid(t.kind, t.group, name ?? "", [{ field, type, detail, value }]);
    if (!name) throw fail("metadata.name", "Required value", "name or generateName is required");
    // RBAC names are path segments, as the real API server checks them (`system:controller:…`, `metallb-system:speaker`).
    if (RBAC_KINDS.has(t.kind)) {
      if (name === "." || name === ".." || /[/%]/.test(name)) throw fail("metadata.name", "Invalid value", `may not be '.' or '..' and may not contain '/' or '%'`, name);
    } else if (t.plural === NAMESPACE ? !DNS_LABEL.test(name) || name.length > 63 : !DNS_SUBDOMAIN.test(name) || name.length > 253) {
      throw fail("metadata.name", "Invalid value", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", name);
    }
    if (t.kind === "CustomResourceDefinition") {
      const { group, names } = obj.spec ?? {};
      if (!names?.plural || !names?.kind) throw fail("spec.names", "Required value", "plural and kind are required");
      if (name !== `${names.plural}.${group}`) throw fail("metadata.name", "Invalid value", 'must be spec.names.plural+"."+spec.group', name);
      if (!Array.isArray(obj.spec.versions) || obj.spec.versions.length === 0) throw fail("spec.versions", "Invalid value", "must have exactly one version marked as storage version", obj.spec.versions ?? null);
    }
  }

  private async commitNew(t: ResourceType, obj: Obj, managers: ManagerEntry[], opts: WriteOptions) {
    applyDefaults(t.kind, obj, { clusterIP: () => this.allocateClusterIP(), nodePort: () => this.allocateNodePort() });
    obj.metadata.managedFields = renderManagedFields(managers);
    if (opts.dryRun) return this.view(t, obj);
    const stored: Stored = { type: t, obj, managers };
    this.store.put(stored);
    await this.reconcile(stored, undefined);
    return this.view(t, stored.obj);
  }

  private async commitUpdate(t: ResourceType, old: Stored, next: Obj, managers: ManagerEntry[], opts: WriteOptions) {
    applyDefaults(t.kind, next, { clusterIP: () => old.obj.spec?.clusterIP ?? this.allocateClusterIP(), nodePort: () => this.allocateNodePort() });
    const specOf = ({ metadata, status, ...rest }: Obj) => JSON.stringify(rest);
    if (hasGeneration(t) && specOf(next) !== specOf(old.obj)) next.metadata.generation = (old.obj.metadata.generation ?? 1) + 1;
    next.metadata.managedFields = renderManagedFields(managers);
    // Compared without resourceVersion and managedFields times, which a no-op request would otherwise change.
    const comparable = (o: Obj) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined,
      managedFields: o.metadata.managedFields?.map((m: Obj) => ({ ...m, time: undefined })) } });
    const unchanged = comparable(next) === comparable(old.obj);
    // The API server skips writes that change nothing: the resourceVersion stays.
    if (unchanged || opts.dryRun) return this.view(t, unchanged ? old.obj : next);
    const stored: Stored = { type: old.type, obj: next, managers };
    this.store.put(stored);
    await this.reconcile(stored, old.obj);
    return this.view(t, stored.obj);
  }

  private allocateNodePort() {
    return 30000 + (this.nodePorts++ % 2768);
  }

  private allocateClusterIP() {
    const n = ++this.ips;
    return `10.100.${(n >> 8) & 255}.${n & 255}`;
  }

  // --- controllers ---

  private later(ms: number, work: () => void | Promise<void>) {
    if (ms <= 0) return work();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void work();
    }, ms);
    this.timers.add(timer);
  }

  /** Replace an object's status as a controller would (no managedFields change). */
  private setStatus(stored: Stored, status: Obj) {
    const current = this.store.get(stored.type, stored.obj.metadata.namespace, stored.obj.metadata.name);
    if (!current) return;
    this.store.put({ ...current, obj: { ...current.obj, status } });
  }

  private async reconcile(stored: Stored, before: Obj | undefined) {
    const { kind } = stored.type;
    const obj = stored.obj;
    const specChanged = !before || before.metadata.generation !== obj.metadata.generation;
    if ((kind === "Deployment" || kind === "DaemonSet") && specChanged) {
      await this.later(this.delays.workloadReadyMs, () => {
        const current = this.store.get(stored.type, obj.metadata.namespace, obj.metadata.name);
        if (current) this.setStatus(current, readyStatus(kind, current.obj)!);
      });
    }
    if (kind === "CustomResourceDefinition" && specChanged && stored.type.group === "apiextensions.k8s.io") {
      await this.later(this.delays.crdEstablishedMs, () => {
        const current = this.store.get(stored.type, undefined, obj.metadata.name);
        if (!current) return;
        this.registry.removeGroupResource(current.obj.spec.group, current.obj.spec.names.plural);
        for (const served of crdTypes(current.obj)) this.registry.add(served);
        this.setStatus(current, establishedStatus(current.obj));
      });
    }
    if (kind === "Service" && !stored.type.group) {
      const wasLB = before?.spec?.type === "LoadBalancer";
      const isLB = obj.spec?.type === "LoadBalancer";
      if (isLB && !wasLB) {
        const hostname = await this.onLoadBalancer?.({ cluster: this.name, namespace: obj.metadata.namespace, name: obj.metadata.name, action: "created" });
        const fallback = `a${obj.metadata.uid.replace(/-/g, "").slice(0, 24)}.elb.${this.name}.sandbox.localhost`;
        this.setStatus(stored, { loadBalancer: { ingress: [{ hostname: hostname || fallback }] } });
      }
      if (wasLB && !isLB) {
        await this.onLoadBalancer?.({ cluster: this.name, namespace: obj.metadata.namespace, name: obj.metadata.name, action: "deleted" });
        this.setStatus(stored, { loadBalancer: {} });
      }
    }
  }

  /** Remove one object and what depends on it: a CRD takes its custom objects and served types with it. */
  private async remove(stored: Stored) {
    const { obj, type } = stored;
    if (type.kind === "Service" && !type.group && obj.spec?.type === "LoadBalancer") {
      await this.onLoadBalancer?.({ cluster: this.name, namespace: obj.metadata.namespace, name: obj.metadata.name, action: "deleted" });
    }
    if (type.kind === "CustomResourceDefinition" && type.group === "apiextensions.k8s.io") {
      for (const served of crdTypes(obj).slice(0, 1)) for (const custom of this.store.list(served)) this.store.remove(custom);
      this.registry.removeGroupResource(obj.spec.group, obj.spec.names.plural);
    }
    this.store.remove(stored);
  }

  private terminateNamespace(stored: Stored, dryRun: boolean): Obj {
    const name = stored.obj.metadata.name;
    const t = stored.type;
    if (stored.obj.status?.phase === "Terminating") return this.view(t, stored.obj);
    const terminating: Obj = { ...clone(stored.obj), status: { phase: "Terminating" } };
    terminating.metadata.deletionTimestamp = timestamp();
    if (dryRun) return this.view(t, terminating);
    this.store.put({ ...stored, obj: terminating });
    void this.later(this.delays.namespaceDeletionMs, async () => {
      for (const type of this.registry.all().filter((r) => r.namespaced)) {
        for (const s of this.store.list(type, name)) await this.remove(s);
      }
      const current = this.store.get(t, undefined, name);
      if (current) this.store.remove(current);
    });
    return this.view(t, terminating);
  }
}
