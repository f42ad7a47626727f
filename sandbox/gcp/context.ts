// What every GCP sandbox module shares: the world, the GKE delays, the in-flight operations and the clusters' Kubernetes APIs.
import type { KubeApiServer } from "../kubernetes/index.ts";
import type { World } from "../world.ts";

/** Transition delays in ms, settable through the control API's PUT /delays with the AWS ones. */
export const GCP_DELAYS = {
  gkeClusterCreate: 1500,
  gkeClusterDelete: 1000,
  gkeClusterUpdate: 200,
  gkeNodePoolCreate: 500,
  gkeNodePoolDelete: 500,
  gkeNodePoolUpdate: 200,
};
export type GcpDelays = typeof GCP_DELAYS;

/** A GKE operation (container v1 `Operation`): kept in memory only, like the Kubernetes APIs. */
export interface GkeOperation {
  name: string;
  project: string;
  location: string;
  operationType: string;
  /** The cluster it holds: GKE runs one operation per cluster at a time. */
  clusterId: string;
  targetLink: string;
  startTime: string;
  endTime?: string;
  /** True once the change it stands for has happened. */
  isDone(): boolean;
  /** Set when the change failed (a DONE operation with statusMessage and error). */
  failure?: string;
}

export interface KubeEntry {
  ready: Promise<KubeApiServer>;
  api?: KubeApiServer;
  failed?: unknown;
}

export interface GcpContext {
  world: World;
  delays: () => GcpDelays;
  operations: Map<string, GkeOperation>;
  kubeApis: Map<string, KubeEntry>;
  /** The sandbox's own access token; the GKE Kubernetes APIs accept it and any other `ya29.` token. */
  accessToken: string;
}

/** Resource types in the world (for /inventory, /mutate and /seed). */
export const T = {
  cluster: "gcp:container-cluster",
  nodePool: "gcp:node-pool",
  serviceAccount: "gcp:service-account",
  policy: "gcp:project-policy",
  repository: "gcp:artifact-repository",
  forwardingRule: "gcp:forwarding-rule",
  targetPool: "gcp:target-pool",
  httpHealthCheck: "gcp:http-health-check",
  firewall: "gcp:firewall",
} as const;

/** Regions the sandbox knows, each with zones -a, -b, -c (as Google lists them). */
export const REGIONS = ["us-central1", "us-east1", "us-east4", "us-west1", "us-west2", "europe-west1", "europe-west2", "europe-west4", "asia-east1", "asia-southeast1", "australia-southeast1"];
