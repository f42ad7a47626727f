// What `nic deploy` needs from a provider. Each provider's adapter (src/providers/adapters/) implements it;
// the registry loads it lazily, so SDKs are imported only by commands that reach a cloud.
import type { Logger } from "../cli/log.ts";
import type { NebariConfig } from "../config/model.ts";
import type { Teardown } from "../destroy/teardown.ts";
import type { Actual, Address, Resource, ResourceKind } from "../engine/types.ts";
import type { ClusterConnection, Stage03Inputs } from "../kubernetes/index.ts";
import type { ClusterOutputs } from "../outputs/types.ts";
import type { State } from "../state/format.ts";

export type Env = Record<string, string | undefined>;

export interface DeployProvider {
  /**
   * The config desired() reads, with what Nebari would ask the cloud filled in (AWS: the availability zones when the
   * config names fewer than two). The state is read first, so a deployment keeps what it has.
   */
  prepare?(config: NebariConfig, state: State | undefined, env: Env): Promise<NebariConfig>;
  /** Stage 02: the cloud resources Nebari's Terraform would create. Pure. */
  desired(config: NebariConfig): Resource[];
  kinds(config: NebariConfig, env: Env): ResourceKind[];
  /**
   * Starts the sign-in the run's first call will need, without waiting for it (Azure: OpenID discovery, then the token),
   * so its round trips overlap the local work before the read. A failure is left to that first call to report.
   */
  startSignIn?(env: Env): void;
  /** Pre-flight: the credentials answer (AWS: sts:GetCallerIdentity); throws CREDENTIALS_INVALID. Called before any change. */
  checkCredentials?(config: NebariConfig, env: Env, signal: AbortSignal): Promise<void>;
  /** Extra retryable errors (IAM eventual consistency) and their retry budget in ms. */
  classify?(err: unknown): number | undefined;
  /**
   * Kubernetes objects the provider adds to stage 03 (local: MetalLB and its pool), from what is known of its resources
   * (observed, else tracked). A value of a resource not created yet is a ref to it.
   */
  kubernetesExtras?(config: NebariConfig, actual: Map<Address, Actual>): Resource[];
  /**
   * Where stage 03 hangs on stage 02 in the one dependency graph (see ClusterLinks). Pure. Absent: Kubernetes
   * objects wait for nothing NIC creates.
   */
  clusterLinks?(config: NebariConfig): ClusterLinks;
  /** What the cluster looks like, from the tracked resources (throws while the cluster does not exist). */
  clusterOutputs(config: NebariConfig, actual: Map<Address, Actual>): ClusterOutputs;
  /** How NIC reaches the Kubernetes API. Asked lazily: only once the resources in ClusterLinks.api are settled. */
  connection(config: NebariConfig, cluster: ClusterOutputs, env: Env): Promise<ClusterConnection>;
  /** A fresh bearer token (kubernetes_credentials in outputs.json). */
  token(config: NebariConfig, env: Env): Promise<string>;
  /** Arguments of `nic kubeconfig token …` for the kubeconfig's exec credential. */
  tokenArgs(config: NebariConfig): string[];
  /**
   * outputs.json (and the kubeconfig to write at `paths.kubeconfig`, if any) for providers whose outputs are not the
   * cloud shape: local and existing, as Nebari's templates for them write it.
   */
  outputs?(config: NebariConfig, actual: Map<Address, Actual>, paths: { outputs: string; kubeconfig: string }, env: Env): Promise<{ document: object; kubeconfig?: string }>;
  /**
   * True when the cluster outlives `nic destroy` (one NIC did not create): destroy then deletes the Kubernetes objects NIC
   * applied itself, and nothing else in the cluster (no LoadBalancer sweep).
   */
  keepsCluster?(config: NebariConfig, state: State): boolean;
  /**
   * `nic destroy`: sweeps of what Kubernetes controllers made in the cloud (load balancers, their security groups)
   * and waits the graph cannot express (lingering network interfaces). Absent: nothing to sweep.
   */
  teardown?(config: NebariConfig, state: State, opts: TeardownOptions): Teardown;
}

/**
 * What each Kubernetes object of stage 03 needs from stage 02, declared by the provider so the engine stays neutral:
 * every object waits for `api`, a Deployment waited for (--wait) also for `nodes`, and a ref in `inputs` adds its
 * edge (the autoscaler's ServiceAccount waits for its IRSA role only).
 */
export interface ClusterLinks {
  /** Settled before the cluster's Kubernetes API answers: the cluster resource (EKS: ACTIVE). */
  api: Address[];
  /** Settled before pods can run: the node groups. */
  nodes?: Address[];
  /** Stage 03's inputs from stage 02; values from a resource are refs (`ref("aws/iam_role/cluster_autoscaler", "arn")`). */
  inputs?: Stage03Inputs;
}

export interface TeardownOptions {
  env: Env;
  log: Logger;
  /** How long to wait for load balancers and network interfaces to go. */
  waitMs?: number;
  /** Replaces the SDKs' HTTP layer (recording or replaying a run). */
  requestHandler?: unknown;
}
