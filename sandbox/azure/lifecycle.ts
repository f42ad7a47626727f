// Long-running operations as ARM runs them: a PUT or DELETE starts a transition on the record (Creating → Succeeded,
// Deleting → gone) that completes after a delay; the operation a client polls (Azure-AsyncOperation or Location) only
// reports how its record's transition is going, so a restarted sandbox still finishes what was started.
import type { World } from "../world.ts";
import { ArmError, SUBSCRIPTION_ID, type ArmRecord, type Reply, type Route } from "./arm.ts";

/** Transition delays (ms), settable with PUT /delays like the AWS ones. */
export const AZURE_DELAYS = {
  aksClusterCreate: 1500,
  aksClusterDelete: 1000,
  aksPoolCreate: 800,
  aksPoolDelete: 500,
  acrCreate: 200,
  acrDelete: 200,
  groupDelete: 300,
};
export type AzureDelay = keyof typeof AZURE_DELAYS;

export interface Transitioning extends ArmRecord {
  /** When the pending transition completes (epoch ms), and into what. */
  transitionAt?: number;
  transitionTo?: "Succeeded" | "gone";
}

interface Operation {
  id: string;
  type: string;
  recordId: string;
  deleting: boolean;
  startTime: string;
  endTime?: string;
  failed?: { code: string; message: string };
}

/** What a record's transition must wait for or do when it completes; return false to try again a little later. */
export type Finisher = (record: Transitioning, world: World) => boolean | void;

export class Lifecycle {
  private operations = new Map<string, Operation>();
  readonly finishers = new Map<string, Finisher>();

  constructor(private readonly world: World, private readonly base: () => string) {}

  delay(name: AzureDelay): number {
    return Number((this.world.delays as Record<string, number>)[name] ?? AZURE_DELAYS[name]);
  }

  /** Starts the record's transition and returns the operation's id. */
  begin(record: Transitioning, state: "Creating" | "Updating" | "Deleting", delay: AzureDelay): string {
    record.provisioningState = state;
    record.transitionAt = Date.now() + this.delay(delay);
    record.transitionTo = state === "Deleting" ? "gone" : "Succeeded";
    this.world.put(record);
    const op: Operation = { id: crypto.randomUUID(), type: record.type, recordId: record.id, deleting: state === "Deleting", startTime: new Date().toISOString() };
    this.operations.set(op.id, op);
    return op.id;
  }

  /** Headers of a 201/202 that started an operation: poll Azure-AsyncOperation (and Location for deletes). */
  headers(provider: string, location: string, opId: string, withLocation: boolean): Record<string, string> {
    const at = `${this.base()}/subscriptions/${SUBSCRIPTION_ID}/providers/${provider}/locations/${location}`;
    return {
      "Azure-AsyncOperation": `${at}/operations/${opId}?api-version=2017-08-31`,
      ...(withLocation ? { Location: `${at}/operationresults/${opId}?api-version=2017-08-31` } : {}),
      "Retry-After": "1",
    };
  }

  /** The Location of a resource group delete, which has no Azure-AsyncOperation. */
  groupDeleteLocation(opId: string): string {
    return `${this.base()}/subscriptions/${SUBSCRIPTION_ID}/operationresults/${opId}?api-version=2021-04-01`;
  }

  /** Completes every transition that is due. */
  settle(now = Date.now()): void {
    for (const record of this.world.all() as Transitioning[]) {
      // A transition set to null through /mutate (with provisioningState "Failed") has ended: nothing completes it.
      if (!record.type.startsWith("azure:") || record.transitionAt == null || record.transitionAt > now) continue;
      if (this.finishers.get(record.type)?.(record, this.world) === false) {
        record.transitionAt = now + 50;
        continue;
      }
      if (record.transitionTo === "gone") this.world.remove(record.type, record.id);
      else {
        record.provisioningState = "Succeeded";
        delete record.transitionAt;
        delete record.transitionTo;
        this.world.put(record);
      }
    }
  }

  status(opId: string): Operation & { status: string } {
    const op = this.operations.get(opId);
    if (!op) throw new ArmError("NotFound", `Operation ${opId} was not found.`, 404);
    this.settle();
    const record = this.world.table<Transitioning>(op.type).get(op.recordId);
    let status = "InProgress";
    if (op.deleting ? !record : record?.provisioningState === "Succeeded") status = "Succeeded";
    else if (!record) status = "Canceled";
    else if (record.provisioningState === "Failed") status = "Failed";
    if (status !== "InProgress") op.endTime ??= new Date().toISOString();
    return { ...op, status };
  }

  routes(): Route[] {
    const asyncOperation = (opId: string): Reply => {
      const op = this.status(opId);
      return { status: 200, headers: op.status === "InProgress" ? { "Retry-After": "1" } : {}, body: { id: opId, name: opId, status: op.status, startTime: op.startTime, ...(op.endTime ? { endTime: op.endTime } : {}), ...(op.status === "Failed" || op.status === "Canceled" ? { error: { code: "OperationFailed", message: `The operation ended ${op.status}` } } : {}) } };
    };
    const result = (opId: string, doneStatus: number, location: string): Reply => {
      const op = this.status(opId);
      if (op.status === "InProgress") return { status: 202, headers: { Location: location, "Retry-After": "1" } };
      if (op.status !== "Succeeded") throw new ArmError("OperationFailed", `The operation ended ${op.status}`, 500);
      return { status: doneStatus };
    };
    return [
      { method: "GET", path: "/subscriptions/{sub}/providers/{provider}/locations/{location}/operations/{op}", service: "operations", action: "Operations_Get", handle: (r) => asyncOperation(r.params.op!) },
      { method: "GET", path: "/subscriptions/{sub}/providers/{provider}/locations/{location}/operationresults/{op}", service: "operations", action: "OperationResults_Get",
        handle: (r) => result(r.params.op!, 204, `${r.base}/subscriptions/${SUBSCRIPTION_ID}/providers/${r.params.provider}/locations/${r.params.location}/operationresults/${r.params.op}?api-version=2017-08-31`) },
      { method: "GET", path: "/subscriptions/{sub}/operationresults/{op}", service: "resources", action: "OperationResults_Get",
        handle: (r) => result(r.params.op!, 200, this.groupDeleteLocation(r.params.op!)) },
    ];
  }
}
