// What a provider adds to the engine's teardown (DeployProvider.teardown): sweeps of cloud objects NIC never tracked
// (made by Kubernetes controllers, or by hand), and waits the dependency graph cannot express.
import type { ResourceKind } from "../engine/types.ts";

export interface SweepReport {
  /** What was deleted, as `type:id`. */
  deleted: string[];
  /** Sweeps the endpoint does not offer (an emulator without that API). */
  unsupported: string[];
}

export interface Teardown {
  /** What the sweeps look for, for the dry run's listing. */
  sweeps: string[];
  /** Before the engine's teardown: e.g. load balancers Kubernetes made, NAT gateways and their Elastic IPs. */
  before(signal: AbortSignal): Promise<SweepReport>;
  /** The kinds with deletes that first wait for what lingers (network interfaces in subnets and security groups). */
  kinds(kinds: ResourceKind[]): ResourceKind[];
  /** A last pass after the teardown for what appeared meanwhile. */
  after(signal: AbortSignal): Promise<SweepReport>;
}

/** For providers with nothing to sweep. */
export const NO_SWEEP: Teardown = {
  sweeps: [],
  before: async () => ({ deleted: [], unsupported: [] }),
  kinds: (kinds) => kinds,
  after: async () => ({ deleted: [], unsupported: [] }),
};
