// The nine Traefik v2 CRDs (`*.traefik.containo.us`, v1alpha1) that stage 04's Traefik needs before it starts.
// Nebari's module spells out full schemas; these keep a structural schema that lets every field through,
// which is all the API server needs to serve and store the resources.
import type { Resource } from "../engine/types.ts";
import { object } from "./objects.ts";

const GROUP = "traefik.containo.us";

/** [kind, plural, singular]: names as Nebari declares them (ServersTransport's singular really is plural). */
const CRDS: Array<[string, string, string, string?]> = [
  ["IngressRoute", "ingressroutes", "ingressroute"],
  ["IngressRouteTCP", "ingressroutetcps", "ingressroutetcp"],
  ["IngressRouteUDP", "ingressrouteudps", "ingressrouteudp"],
  ["Middleware", "middlewares", "middleware"],
  ["MiddlewareTCP", "middlewaretcps", "middlewaretcp", "MiddlewareTCPList"],
  ["ServersTransport", "serverstransports", "serverstransports"],
  ["TLSOption", "tlsoptions", "tlsoption"],
  ["TLSStore", "tlsstores", "tlsstore"],
  ["TraefikService", "traefikservices", "traefikservice"],
];

const SCHEMA = {
  openAPIV3Schema: {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
  },
};

export function traefikCrds(): Resource[] {
  return CRDS.map(([kind, plural, singular, listKind]) =>
    object("CustomResourceDefinition", `${plural}.${GROUP}`, {
      spec: {
        group: GROUP,
        names: { kind, plural, singular, ...(listKind && { listKind }) },
        scope: "Namespaced",
        versions: [{ name: "v1alpha1", served: true, storage: true, schema: SCHEMA }],
      },
    }, { protected: true }), // deleting a CRD deletes every object of its kind
  );
}
