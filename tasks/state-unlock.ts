import { NicError } from "../src/cli/errors.ts";
import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { describeHolder, isStale, lockAge, requireLockId } = await import("../src/state/lock.ts");
  const backend = await openStateFromFlags(ctx);
  const current = await backend.describeLock();
  const id = ctx.positionals[0] ?? current?.id ?? "";
  const lock = requireLockId(current, id, backend.location);
  const stale = isStale(lock);
  const age = lockAge(lock);

  ctx.log.info(`The state at ${backend.location} is locked`, { id: lock.id, holder: lock.who, pid: lock.pid, operation: lock.operation, age, stale });
  if (!ctx.flags.force) {
    const refusal = (reason: string) =>
      new NicError("CONFIRMATION_REQUIRED", `${reason}; the lock held by ${describeHolder(lock)} was kept`, {
        details: { location: backend.location, lock, stale },
        recovery: [`Check that the run is gone, then: nic state unlock ${lock.id} --force --state '${backend.location}'`],
      });
    const { askYesNo, confirmingOnTerminal } = await import("../src/cli/confirm.ts");
    if (!confirmingOnTerminal(ctx.format)) throw refusal("Breaking a lock needs --force when there is no terminal to ask on");
    const warning = stale ? "Its process no longer exists." : "Make sure that run is really gone: breaking a live run's lock can corrupt the deployment.";
    if (!(await askYesNo(`Break the lock held by ${describeHolder(lock)}? ${warning}`))) throw refusal("Not confirmed");
  }
  const broken = await backend.forceUnlock(lock.id);
  return {
    document: { success: true, location: backend.location, broken: true, lock: { ...broken, age, stale } },
    text: [
      `Broke the lock on ${backend.location}`,
      `  id        ${broken.id}`,
      `  holder    ${broken.who} (pid ${broken.pid}${stale ? ", no longer running" : ""})`,
      `  operation ${broken.operation}`,
      `  age       ${age}`,
    ].join("\n"),
  };
}
