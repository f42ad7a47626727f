// What EKS needs from outside the world: the OIDC issuer host and, when available, a Kubernetes API per cluster.
export interface KubeApi {
  endpoint: string;
  caPem: string;
  /** Called when a Service of type LoadBalancer appears or goes; returns the ELB hostname. */
  onLoadBalancer?: (event: { namespace: string; name: string; action: "created" | "deleted" }) => string | void | Promise<string | void>;
  stop(): Promise<void>;
}

export interface EksRuntime {
  /** e.g. https://127.0.0.1:PORT — issuers are <base>/id/<32 hex>. */
  oidcIssuerBase: string;
  /** A PEM shown as certificateAuthority when no Kubernetes API is available. */
  placeholderCaPem: string;
  startKubeApi?: (opts: { name: string; kubernetesVersion?: string; delays?: { crdEstablishedMs?: number; workloadReadyMs?: number } }) => Promise<KubeApi>;
  /** Kubernetes APIs of live clusters, by cluster name (in this process only, never persisted). */
  kubeApis: Map<string, KubeApiEntry>;
}

export interface KubeApiEntry {
  ready: Promise<KubeApi>;
  api?: KubeApi;
  failed?: unknown;
}
