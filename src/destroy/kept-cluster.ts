// Destroy on a cluster NIC did not create (existing, local with a kube context): the cluster stays, so the Kubernetes
// objects NIC applied do not go with it. They are deleted one by one through the engine (nothing desired), each deletion
// saved to state; an object NIC does not own, or a namespace holding objects others made, is refused (NotOwnedError).
import type { LoadedConfig } from "../config/load.ts";
import { applyPhase, planPhase, type PhaseOptions } from "../deploy/phase.ts";
import { deploymentGraph } from "../deploy/graph.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import type { ApplyResult } from "../engine/apply.ts";
import type { StateSession } from "../state/session.ts";

export async function deleteAppliedObjects(loaded: LoadedConfig, provider: DeployProvider, session: StateSession, env: Env, opts: PhaseOptions): Promise<ApplyResult> {
  const { kubernetes } = await deploymentGraph(loaded, provider, () => session.state, env);
  const teardown = { ...kubernetes, desired: [] };
  const p = await planPhase(teardown, session.state, opts);
  return applyPhase(teardown, p, session, opts);
}
