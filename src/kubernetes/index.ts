// Kubernetes init (Nebari stage 03) for every provider: the desired objects, the resource kinds that apply them
// with server-side apply, the connection they use, and the reader of NIC-looking objects outside state.
export { adoptImported, adoptedUids } from "./adopt.ts";
export { KubeApiError, KubeClient, KubeTransportError, type ClusterAuth, type ClusterConnection } from "./client.ts";
export { connectionFromKubeconfig } from "./connection.ts";
export { secretDataHash, type SecretData } from "./extcr.ts";
export { FieldConflictError, NotOwnedError, kubernetesKinds, type KubernetesKindOptions } from "./kinds.ts";
export { FIELD_MANAGER, OWNER_LABEL, OWNER_VALUE, REPLICATES_ANNOTATION, addressOf, parseAddress } from "./objects.ts";
export { stage03Resources, stage03Secrets, type Stage03Inputs } from "./stage03.ts";
export { unownedObjects, type UnownedObject } from "./unowned.ts";
