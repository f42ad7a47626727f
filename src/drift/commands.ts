// What the `nic drift …` tasks share: flags, loading the config, provider and state, and accept under the lock.
import type { TaskContext } from "../cli/task.ts";
import { writeStderr } from "../cli/output.ts";
import { loadConfig, type LoadedConfig } from "../config/load.ts";
import type { DeployProvider } from "../deploy/provider.ts";
import type { StateBackend } from "../state/backend.ts";
import { lockTimeoutMs, openStateFromFlags } from "../state/cli.ts";
import type { State } from "../state/format.ts";
import { withStateLock } from "../state/session.ts";
import { requireState } from "../state/store.ts";
import { terminalPrompter, type Prompter } from "../cli/confirm.ts";
import { confirmChange } from "../destroy/confirm.ts";
import { acceptDrift, type Accepted } from "./accept.ts";
import { detectDrift, type Detection } from "./detect.ts";
import { checkOwnership, loadProvider } from "../deploy/phases.ts";
import { renderDiff } from "./report.ts";

export interface DriftInputs {
  loaded: LoadedConfig;
  provider: DeployProvider;
  backend: StateBackend;
  state: State;
}

export async function driftInputs(ctx: TaskContext, command: string): Promise<DriftInputs> {
  const loaded = loadConfig(String(ctx.flags.config), { env: ctx.env });
  for (const w of loaded.warnings) ctx.log.warn(w.text);
  const provider = await loadProvider(loaded, command);
  const backend = await openStateFromFlags(ctx);
  const { state } = await requireState(backend);
  checkOwnership(state, loaded);
  return { loaded, provider, backend, state };
}

export function detect(ctx: TaskContext, inputs: DriftInputs, state = inputs.state, signal = new AbortController().signal): Promise<Detection> {
  return detectDrift(inputs.loaded, inputs.provider, state, { env: ctx.env, includeIgnored: Boolean(ctx.flags["include-ignored"]), signal });
}

/** Under the lock: detect against the locked state, show the differences, confirm, record the cloud as it is. */
export async function acceptUnderLock(
  ctx: TaskContext,
  inputs: DriftInputs,
  show: (diff: string) => void,
  prompter: Prompter = terminalPrompter(ctx.format),
): Promise<{ detection: Detection; accepted?: Accepted; state: State }> {
  return withStateLock(
    inputs.backend,
    "drift accept",
    async (session) => {
      const state = session.state ?? inputs.state;
      const detection = await detect(ctx, inputs, state, session.signal);
      const hasDrift = detection.phases.some((p) => p.report.has_drift);
      // Without drift there is nothing to confirm, but the journal entries the reads resolved are cleared.
      if (!hasDrift && !state.pending_operations.length) return { detection, state };
      if (!hasDrift) return { detection, state: await session.update((draft) => void acceptDrift(draft, detection)) };
      show(renderDiff(detection.phases));
      await confirmChange("Record these actual values in the state (the cloud is not changed)?", Boolean(ctx.flags.yes), prompter);
      let accepted: Accepted | undefined;
      const next = await session.update((draft) => void (accepted = acceptDrift(draft, detection)));
      return { detection, accepted, state: next };
    },
    { timeoutMs: lockTimeoutMs(ctx), log: ctx.log },
  );
}

/** How a plan or diff is shown before a confirmation: as text on stderr, or as a log record in JSON mode. */
export function showOn(ctx: TaskContext): (text: string) => void {
  return (text) => (ctx.format === "json" ? ctx.log.info("about to change", { text }) : writeStderr(`${text}\n`));
}
