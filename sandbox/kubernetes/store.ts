// Every object of one cluster, keyed by group/resource/namespace/name, with one resourceVersion counter.
import type { ManagerEntry } from "./fields.ts";
import { clone, type Obj } from "./patch.ts";
import type { ResourceType } from "./resources.ts";

export interface Stored {
  type: ResourceType; // the type it was written through; group and plural identify its storage
  obj: Obj;
  managers: ManagerEntry[];
}
export interface StoreEvent { type: "ADDED" | "MODIFIED" | "DELETED"; revision: number; stored: Stored }

const HISTORY = 1000; // events kept so a watch can resume from a recent resourceVersion

export class Store {
  private readonly objects = new Map<string, Stored>();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly history: StoreEvent[] = [];
  revision = 0;

  private static key(t: ResourceType, namespace: string | undefined, name: string) {
    return `${t.group}/${t.plural}/${t.namespaced ? namespace : ""}/${name}`;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): Stored | undefined {
    return this.objects.get(Store.key(t, namespace, name));
  }

  /** All objects of a type, in one namespace or (undefined) all of them, sorted like etcd keys. */
  list(t: ResourceType, namespace?: string): Stored[] {
    const prefix = t.namespaced && namespace !== undefined ? `${t.group}/${t.plural}/${namespace}/` : `${t.group}/${t.plural}/`;
    return [...this.objects].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  }

  all(): Stored[] {
    return [...this.objects.values()];
  }

  put(stored: Stored): Obj {
    const key = Store.key(stored.type, stored.obj.metadata.namespace, stored.obj.metadata.name);
    const type = this.objects.has(key) ? "MODIFIED" : "ADDED";
    stored.obj.metadata.resourceVersion = String(++this.revision);
    this.objects.set(key, stored);
    this.emit({ type, revision: this.revision, stored });
    return clone(stored.obj);
  }

  /** Replace everything with a snapshot's objects, without events; the counter resumes where it was. */
  load(objects: Stored[], revision: number) {
    this.objects.clear();
    this.history.length = 0;
    for (const stored of objects) this.objects.set(Store.key(stored.type, stored.obj.metadata.namespace, stored.obj.metadata.name), stored);
    this.revision = revision;
  }

  remove(stored: Stored) {
    const key = Store.key(stored.type, stored.obj.metadata.namespace, stored.obj.metadata.name);
    if (!this.objects.delete(key)) return;
    const gone = { ...stored, obj: clone(stored.obj) };
    gone.obj.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: "DELETED", revision: this.revision, stored: gone });
  }

  /** Events after `revision`, if still in history; undefined when it is too old (the watch gets 410 Gone). */
  since(revision: number): StoreEvent[] | undefined {
    const first = this.history[0];
    if (first && revision < first.revision - 1) return undefined;
    return this.history.filter((e) => e.revision > revision);
  }

  subscribe(listener: (e: StoreEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent) {
    this.history.push(e);
    if (this.history.length > HISTORY) this.history.shift();
    for (const l of this.listeners) l(e);
  }
}
