// Nebari's stage 03 Terraform addresses (nebari-stages.md §4) → NIC's `k8s/<kind>/<namespace|_cluster>/<name>` addresses.
// The Helm release of the cluster autoscaler becomes the objects its chart renders, which NIC manages one by one.
import type { MapContext, Rule, RuleTable, Target } from "../map.ts";
import { block, str } from "../map.ts";

const TRAEFIK_GROUP = "traefik.containo.us";
/** Nebari's kubernetes_manifest names → the CRDs' plural names. */
const TRAEFIK_CRDS: Record<string, string> = {
  ingress_route: "ingressroutes",
  ingress_route_tcp: "ingressroutetcps",
  ingress_route_udp: "ingressrouteudps",
  middleware: "middlewares",
  middlewaretcp: "middlewaretcps",
  serverstransports: "serverstransports",
  tls_option: "tlsoptions",
  tls_stores: "tlsstores",
  traefik_service: "traefikservices",
};
const EXTCR_KINDS = new Set(["role", "serviceaccount", "rolebinding", "job", "cronjob"]);

function k8s(kind: string, namespace: string | undefined, name: string, uid?: string): Target {
  return { address: `k8s/${kind}/${namespace ?? "_cluster"}/${name}`, id: `${namespace ? `${namespace}/` : ""}${name}`, ...(uid ? { uid } : {}) };
}

/** The UID Terraform recorded: `metadata[0].uid` (kubernetes_*) or `object.metadata.uid` (kubernetes_manifest). */
function uidOf(attributes: Record<string, unknown>): string | undefined {
  const object = attributes.object as { value?: { metadata?: { uid?: string } }; metadata?: { uid?: string } } | undefined;
  return str(block(attributes, "metadata"), "uid") || object?.value?.metadata?.uid || object?.metadata?.uid || undefined;
}

/** kubernetes_* resources keep the object's name in `metadata[0]`; kubernetes_manifest in `manifest` (a dynamic value). */
function metadata(attributes: Record<string, unknown>): { name: string; namespace: string } {
  const m = block(attributes, "metadata");
  const manifest = attributes.manifest as { value?: { metadata?: Record<string, string> }; metadata?: Record<string, string> } | undefined;
  const fromManifest = manifest?.value?.metadata ?? manifest?.metadata ?? {};
  return { name: str(m, "name") || fromManifest.name || "", namespace: str(m, "namespace") || fromManifest.namespace || "" };
}

/** The chart's objects for release `cluster-autoscaler` with cloudProvider aws (src/kubernetes/autoscaler.ts). */
const autoscaler: Rule = ({ attributes }, ctx: MapContext) => {
  const namespace = str(attributes, "namespace") || ctx.namespace;
  const fullname = `${str(attributes, "name") || "cluster-autoscaler"}-aws-cluster-autoscaler`;
  const version = str(attributes, "version");
  const history = version && version !== "9.52.1" ? { history: `chart cluster-autoscaler ${version} (NIC replicates 9.52.1)` } : {};
  return [
    k8s("serviceaccount", namespace, "cluster-autoscaler"),
    k8s("clusterrole", undefined, fullname),
    k8s("clusterrolebinding", undefined, fullname),
    k8s("role", namespace, fullname),
    k8s("rolebinding", namespace, fullname),
    k8s("service", namespace, fullname),
    k8s("deployment", namespace, fullname),
    k8s("poddisruptionbudget", namespace, fullname),
  ].map((t) => ({ ...t, ...history }));
};

/** The CRD's name from the manifest, else from Nebari's resource name. */
const traefikCrd: Rule = ({ name, attributes }) => {
  const crd = metadata(attributes).name || (TRAEFIK_CRDS[name] && `${TRAEFIK_CRDS[name]}.${TRAEFIK_GROUP}`);
  return crd ? k8s("customresourcedefinition", undefined, crd, uidOf(attributes)) : { unmanaged: `Nebari defines no Traefik CRD named ${name}` };
};

/** `role_extcr_cred_updater` → a Role named extcr-cred-updater. */
const extcrManifest: Rule = ({ name, attributes }, ctx) => {
  const m = metadata(attributes);
  const kind = name.replace(/_extcr_cred_updater$/, "");
  return EXTCR_KINDS.has(kind) ? k8s(kind, m.namespace || ctx.namespace, m.name || "extcr-cred-updater", uidOf(attributes)) : { unmanaged: `Nebari defines no external-registry manifest named ${name}` };
};

/** Objects Terraform and Helm made are kept as they are (an older chart, no IRSA annotation) while the config is silent. */
const EVERY_FIELD = ["*"];
const KEPT_KINDS = ["namespace", "serviceaccount", "clusterrole", "clusterrolebinding", "role", "rolebinding", "deployment", "service", "poddisruptionbudget", "customresourcedefinition", "daemonset", "secret", "job", "cronjob"];

export const KUBERNETES_RULES: RuleTable = {
  keep: Object.fromEntries(KEPT_KINDS.map((k) => [`k8s/${k}`, EVERY_FIELD])),
  rules: {
    "module.kubernetes-initialization.kubernetes_namespace.main": ({ attributes }, ctx) => k8s("namespace", undefined, metadata(attributes).name || ctx.namespace, uidOf(attributes)),
    "module.kubernetes-autoscaling.helm_release.autoscaler": autoscaler,
    "module.traefik-crds.kubernetes_manifest.*": traefikCrd,
    "module.nvidia-driver-installer.kubernetes_daemonset.*": ({ attributes }) => {
      const m = metadata(attributes);
      return k8s("daemonset", m.namespace || "kube-system", m.name, uidOf(attributes));
    },
    "module.external-container-reg.kubernetes_secret.customer_extcr_key": ({ attributes }, ctx) => {
      const m = metadata(attributes);
      return k8s("secret", m.namespace || ctx.namespace, m.name || "customer-extcr-key", uidOf(attributes));
    },
    "module.external-container-reg.kubernetes_manifest.*": extcrManifest,
  },
};
