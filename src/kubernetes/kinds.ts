// Kubernetes objects as engine resource kinds: server-side apply as field manager `nic`, reads projected onto
// the manifest, deletes only of objects carrying NIC's ownership label.
import { sleep } from "../engine/retry.ts";
import type { Actual, Address, Lookup, ObserveContext, OperationContext, Operation, Resource, ResourceKind } from "../engine/types.ts";
import { KubeApiError, KubeClient, isNotFound, type ClusterConnection } from "./client.ts";
import { copySchemas } from "./adopt.ts";
import { foreignContents } from "./cascade.ts";
import { secretDataHash, type SecretData } from "./extcr.ts";
import { FIELD_MANAGER, KINDS, OWNER_LABEL, OWNER_VALUE, addressOf, engineKind, parseAddress, pathOf, type KindInfo } from "./objects.ts";
import { mergeShapes, project } from "./project.ts";

export interface KubernetesKindOptions {
  /** Take over fields another field manager owns (`--force-conflicts`). Off: a conflict fails the resource. */
  forceConflicts?: boolean;
  /** The data of desired secrets by address (stage03Secrets); attributes carry only its hash. */
  secrets?: ReadonlyMap<Address, SecretData>;
  /** Also wait for Deployments to be available (`--wait`). CRDs and namespaces are always waited for. */
  waitForWorkloads?: boolean;
  /** The uids of objects imported from Terraform (adoptedUids): NIC's although they lack its label. */
  adopted?: ReadonlySet<string>;
}

/** Another field manager owns fields NIC wants to set. */
export class FieldConflictError extends Error {
  readonly recovery: string[];
  constructor(address: Address, readonly fields: Array<{ field?: string; message?: string }>) {
    const list = fields.map((f) => `${f.field ?? "?"} (${f.message ?? "conflict"})`).join(", ");
    super(`${address}: another field manager owns fields NIC wants to set: ${list}. ` +
      "NIC does not take them over silently: rerun with --force-conflicts to make NIC their owner.");
    this.name = "FieldConflictError";
    this.recovery = [
      "Rerun with --force-conflicts to make NIC the owner of these fields (the other manager's values are overwritten).",
      "Or stop the other tool from managing them, then rerun.",
    ];
  }
}

/** An object NIC would delete that it does not own, or whose deletion would take objects NIC does not own with it. */
export class NotOwnedError extends Error {
  readonly recovery: string[];
  constructor(address: Address, readonly contents: string[] = []) {
    super(contents.length
      ? `${address} is not deleted: deleting it would also delete objects NIC does not own: ${contents.join(", ")}.`
      : `${address} is not deleted: it does not carry the label ${OWNER_LABEL}=${OWNER_VALUE}, so NIC does not own it.`);
    this.name = "NotOwnedError";
    this.recovery = contents.length
      ? ["Remove those objects first (for Nebari's later stages: `nebari destroy`), then rerun."]
      : [`Delete it yourself if it should go, or label it ${OWNER_LABEL}=${OWNER_VALUE} to let NIC delete it; then rerun.`];
  }
}

/**
 * `conn` may be a function: it is then asked for on every request, since in the one graph the connection exists only
 * once the cluster does.
 */
export function kubernetesKinds(conn: ClusterConnection | (() => Promise<ClusterConnection>), opts: KubernetesKindOptions = {}): ResourceKind[] {
  const client = clientFor(conn);
  return KINDS.map((k) => kubernetesKind(k, client, opts));
}

type Client = Pick<KubeClient, "request">;

function clientFor(conn: ClusterConnection | (() => Promise<ClusterConnection>)): Client {
  if (typeof conn !== "function") return new KubeClient(conn);
  const clients = new WeakMap<ClusterConnection, KubeClient>();
  return {
    request: async (method, path, opts) => {
      const current = await conn();
      let client = clients.get(current);
      if (!client) clients.set(current, (client = new KubeClient(current)));
      return client.request(method, path, opts);
    },
  };
}

type LiveObject = { metadata: { name: string; uid: string; labels?: Record<string, string>; generation?: number }; [k: string]: any };

const ownedBy = (opts: KubernetesKindOptions) => (obj: { metadata: { uid?: string; labels?: Record<string, string> } }) =>
  obj.metadata.labels?.[OWNER_LABEL] === OWNER_VALUE || (obj.metadata.uid !== undefined && opts.adopted?.has(obj.metadata.uid) === true);

function kubernetesKind(k: KindInfo, client: Client, opts: KubernetesKindOptions): ResourceKind {
  const get = (namespace: string | undefined, name: string, signal: AbortSignal) =>
    client.request<LiveObject>("GET", pathOf(k, namespace, name), { signal }).catch((err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });

  /** One GET for a single object, otherwise one LIST per namespace. */
  async function observe(batch: Lookup[], ctx: ObserveContext): Promise<Map<Address, Actual>> {
    const byScope = new Map<string | undefined, Lookup[]>();
    for (const lookup of batch) {
      const { namespace } = parseAddress(lookup.address);
      byScope.set(namespace, [...(byScope.get(namespace) ?? []), lookup]);
    }
    const found = new Map<Address, Actual>();
    await Promise.all([...byScope].map(async ([namespace, lookups]) => {
      const live = new Map<string, LiveObject>();
      if (lookups.length === 1) {
        const obj = await get(namespace, parseAddress(lookups[0]!.address).name, ctx.signal);
        if (obj) live.set(obj.metadata.name, obj);
      } else {
        const list = await client.request<{ items: LiveObject[] }>("GET", pathOf(k, namespace), { signal: ctx.signal });
        for (const obj of list.items) live.set(obj.metadata.name, obj);
      }
      for (const lookup of lookups) {
        const obj = live.get(parseAddress(lookup.address).name);
        const shape = mergeShapes(lookup.desired?.attributes, lookup.tracked?.attributes);
        if (obj) found.set(lookup.address, actualOf(k, obj, shape));
      }
    }));
    return found;
  }

  async function apply(resource: Resource, ctx: OperationContext): Promise<Actual> {
    const { namespace, name } = parseAddress(resource.address);
    try {
      const obj = await client.request<LiveObject>("PATCH", pathOf(k, namespace, name), {
        query: { fieldManager: FIELD_MANAGER, force: opts.forceConflicts ? "true" : undefined },
        body: manifestOf(resource, opts.secrets),
        contentType: "application/apply-patch+yaml", // JSON is YAML
        signal: ctx.signal,
      });
      return actualOf(k, obj, resource.attributes);
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409 && err.reason === "Conflict") throw new FieldConflictError(resource.address, err.causes);
      throw err;
    }
  }

  async function remove(actual: Actual, ctx: OperationContext): Promise<void> {
    const { namespace, name } = nameOf(actual);
    const live = await get(namespace, name, ctx.signal);
    if (!live) return;
    const address = addressOf(k.kind, namespace, name);
    const owned = ownedBy(opts);
    if (!owned(live)) throw new NotOwnedError(address);
    const foreign = await foreignContents(client, k.kind, live, owned, ctx.signal);
    if (foreign.length) throw new NotOwnedError(address, foreign);
    await client.request("DELETE", pathOf(k, namespace, name), {
      body: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background", preconditions: { uid: live.metadata.uid } },
      signal: ctx.signal,
    }).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
  }

  async function wait(actual: Actual, operation: Operation, ctx: OperationContext): Promise<Actual> {
    const { namespace, name } = nameOf(actual);
    const ready = operation === "delete" ? (obj: LiveObject | undefined) => !obj : readiness(k.kind, opts);
    if (!ready) return actual;
    for (let delay = 50; !ready(await get(namespace, name, ctx.signal)); delay = Math.min(delay * 2, 2000)) await sleep(delay, ctx.signal);
    return actual;
  }

  return {
    kind: engineKind(k.kind),
    observe,
    create: apply,
    update: (resource, _actual, _changes, ctx) => apply(resource, ctx),
    delete: remove,
    wait,
    idempotent: true, // server-side apply by name; observe() finds the object by its address
    timeoutMs: k.kind === "Namespace" ? 15 * 60_000 : 5 * 60_000,
  };
}

/** What "settled" means per kind after a create or update; undefined: settled at once. */
function readiness(kind: string, opts: KubernetesKindOptions): ((obj: LiveObject | undefined) => boolean) | undefined {
  const condition = (obj: LiveObject | undefined, type: string) =>
    (obj?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === "True");
  if (kind === "CustomResourceDefinition") return (obj) => condition(obj, "Established");
  if (kind === "Namespace") return (obj) => obj?.status?.phase === "Active";
  if (kind === "Deployment" && opts.waitForWorkloads) {
    return (obj) => condition(obj, "Available") && (obj?.status?.observedGeneration ?? 0) >= (obj?.metadata.generation ?? 0);
  }
  return undefined;
}

/** The live object as the engine compares it: projected onto the manifest; secret data reduced to its hash. */
function actualOf(k: KindInfo, obj: LiveObject, shape: unknown): Actual {
  const attributes = project(obj, shape) as Record<string, unknown>;
  if (isSecretShape(shape)) attributes.dataHash = secretDataHash(obj.data ?? {});
  // A CRD's schema is read whole, not projected onto NIC's: a stricter one (Nebari's Terraform installs them) must show.
  if (k.kind === "CustomResourceDefinition") copySchemas(attributes, obj);
  return { id: obj.metadata.uid, attributes };
}

const isSecretShape = (shape: unknown) => typeof shape === "object" && shape !== null && "dataHash" in shape;

/** The body of the apply: the desired attributes, with a secret's data put back in place of its hash. */
function manifestOf(resource: Resource, secrets: ReadonlyMap<Address, SecretData> | undefined): Record<string, unknown> {
  if (!isSecretShape(resource.attributes)) return resource.attributes;
  const { dataHash, ...manifest } = resource.attributes;
  const data = secrets?.get(resource.address);
  if (!data) throw new Error(`${resource.address}: its data was not given to kubernetesKinds({ secrets }); state holds only its hash`);
  if (secretDataHash(data) !== dataHash) throw new Error(`${resource.address}: the data given does not match the desired hash; rerun the plan`);
  return { ...manifest, data };
}

function nameOf(actual: Actual): { namespace: string | undefined; name: string } {
  const metadata = (actual.attributes.metadata ?? {}) as { name?: string; namespace?: string };
  if (!metadata.name) throw new Error(`a Kubernetes object without metadata.name in its attributes (id ${actual.id})`);
  return { namespace: metadata.namespace, name: metadata.name };
}
