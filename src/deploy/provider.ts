// What `nic deploy` needs from a provider. Each provider's adapter (src/providers/adapters/) implements it;
// the registry loads it lazily, so SDKs are imported only by commands that reach a cloud.
import type { NebariConfig } from "../config/model.ts";
import type { Actual, Address, Resource, ResourceKind } from "../engine/types.ts";
import type { ClusterConnection } from "../kubernetes/index.ts";
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
  /** Pre-flight: the credentials answer (AWS: sts:GetCallerIdentity); throws CREDENTIALS_INVALID. Called before any change. */
  checkCredentials?(config: NebariConfig, env: Env, signal: AbortSignal): Promise<void>;
  /** Extra retryable errors (IAM eventual consistency) and their retry budget in ms. */
  classify?(err: unknown): number | undefined;
  /** Kubernetes objects the provider adds to stage 03 (local: MetalLB and its pool), from the tracked resources. */
  kubernetesExtras?(config: NebariConfig, actual: Map<Address, Actual>): Resource[];
  /** What the cluster looks like once stage 02 converged, from the tracked resources. */
  clusterOutputs(config: NebariConfig, actual: Map<Address, Actual>): ClusterOutputs;
  /** How NIC reaches the Kubernetes API for stage 03. */
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
}
