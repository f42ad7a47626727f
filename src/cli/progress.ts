// What a long run prints while it works, as Terraform does. On a terminal: one transient line, rewritten per event.
// Without one (CI, Nebari's subprocess): a line per operation started and finished, and for an operation still running a
// heartbeat every 30 s ("aws/eks_cluster/main: still creating… [2m10s elapsed]"). In json mode the same, as events.
import type { ApplyEvent } from "../engine/apply.ts";
import { describeEvent } from "../engine/render.ts";
import type { Format, Logger } from "./log.ts";
import { isTerminal } from "./terminal.ts";

const GERUND = { create: "creating", update: "updating", delete: "deleting" } as const;

export interface Progress {
  onEvent(event: ApplyEvent): void;
  /** Stops the heartbeat; call when the run ends, however it ends. */
  stop(): void;
}

export function createProgress(log: Logger, format: Format, opts: { heartbeatMs?: number; isTTY?: boolean } = {}): Progress {
  const transient = format === "text" && (opts.isTTY ?? isTerminal(2));
  const running = new Map<string, { operation: ApplyEvent["operation"]; since: number }>();
  const heartbeat = setInterval(() => {
    const now = Date.now();
    for (const [address, { operation, since }] of running) {
      const elapsedMs = now - since;
      const line = `${address}: still ${GERUND[operation]}… [${elapsed(elapsedMs)} elapsed]`;
      if (format === "json") log.info(line, { event: { type: "heartbeat", address, operation, elapsedMs } });
      else if (transient) log.progress(line);
      else log.info(line);
    }
  }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    onEvent(event) {
      if (event.type === "started") running.set(event.address, { operation: event.operation, since: Date.now() });
      if (event.type === "done" || event.type === "failed" || event.type === "skipped") running.delete(event.address);
      const line = describeEvent(event);
      if (format === "json") log.info(line, { event });
      else if (event.type === "failed" || event.type === "retrying") log.warn(line);
      else if (transient) log.progress(line);
      else log.info(line);
    },
    stop: () => clearInterval(heartbeat),
  };
}

function elapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

/** The heartbeat interval: NIC_HEARTBEAT seconds (default 30). */
export function heartbeatMs(env: Record<string, string | undefined>): number {
  const seconds = Number(env.NIC_HEARTBEAT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 30_000;
}
