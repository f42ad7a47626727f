// GKE long-running operations: RUNNING until the change they stand for has happened, then DONE (with statusMessage
// and error when it failed). One operation per cluster at a time, as GKE enforces: the next gets FAILED_PRECONDITION.
import type { GcpContext, GkeOperation } from "./context.ts";
import { GcpError, notFound, nowIso } from "./http.ts";
import { hex } from "../world.ts";

const CONTAINER = "https://container.googleapis.com/v1";

export function startOperation(ctx: GcpContext, op: Omit<GkeOperation, "name" | "startTime" | "targetLink"> & { target: string }): GkeOperation {
  const name = `operation-${Date.now()}-${hex(8)}`;
  const { target, ...rest } = op;
  const started: GkeOperation = { ...rest, name, startTime: nowIso(), targetLink: `${CONTAINER}/${target}` };
  ctx.operations.set(name, started);
  return started;
}

/** Refuse a new operation while another one holds the cluster. */
export function assertClusterIdle(ctx: GcpContext, clusterId: string): void {
  for (const op of ctx.operations.values()) {
    if (op.clusterId === clusterId && !finished(op)) {
      throw new GcpError(400, "FAILED_PRECONDITION", `Cluster is running incompatible operation ${op.name}.`);
    }
  }
}

function finished(op: GkeOperation): boolean {
  if (op.endTime) return true;
  if (!op.isDone()) return false;
  op.endTime = nowIso();
  return true;
}

export function renderOperation(op: GkeOperation) {
  const done = finished(op);
  return {
    name: op.name,
    zone: op.location,
    location: op.location,
    operationType: op.operationType,
    status: done ? "DONE" : "RUNNING",
    selfLink: `${CONTAINER}/projects/${op.project}/locations/${op.location}/operations/${op.name}`,
    targetLink: op.targetLink,
    startTime: op.startTime,
    ...(done && { endTime: op.endTime }),
    ...(done && op.failure && { statusMessage: op.failure, error: { code: 13, message: op.failure } }),
  };
}

export function getOperation(ctx: GcpContext, project: string, name: string) {
  const op = ctx.operations.get(name);
  if (!op || op.project !== project) throw notFound(`operation ${name}`);
  return renderOperation(op);
}

export function listOperations(ctx: GcpContext, project: string, location: string) {
  return { operations: [...ctx.operations.values()].filter((o) => o.project === project && (location === "-" || o.location === location)).map(renderOperation) };
}
