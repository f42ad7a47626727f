// Saved plans (`--plan-out FILE`, then `--plan FILE`): a plan applies only to the state it was made from.
import { createHash } from "node:crypto";
import { NicError } from "../cli/errors.ts";
import type { Plan } from "./plan.ts";
import type { Resource, StateView } from "./types.ts";

export interface SavedPlan {
  format: "nic-plan";
  format_version: 1;
  /** The state the plan was made from. */
  lineage: string;
  serial: number;
  config_hash: string;
  created_at: string;
  plan: Plan;
}

type StateStamp = Pick<StateView, "lineage" | "serial">;

export function savePlan(p: Plan, state: StateStamp, configHash: string, now = new Date()): string {
  const saved: SavedPlan = {
    format: "nic-plan",
    format_version: 1,
    lineage: state.lineage,
    serial: state.serial,
    config_hash: configHash,
    created_at: now.toISOString(),
    plan: p,
  };
  return `${JSON.stringify(saved, null, 2)}\n`;
}

export function readSavedPlan(text: string, source: string): SavedPlan {
  let saved: Partial<SavedPlan>;
  try {
    saved = JSON.parse(text);
  } catch (err) {
    throw notAPlan(source, "it is not JSON", err);
  }
  if (saved?.format !== "nic-plan") throw notAPlan(source, "it is not a NIC plan file");
  if (saved.format_version !== 1) throw notAPlan(source, `its format version ${saved.format_version} is not supported`);
  if (typeof saved.lineage !== "string" || typeof saved.serial !== "number" || !Array.isArray(saved.plan?.entries)) {
    throw notAPlan(source, "it is incomplete");
  }
  return saved as SavedPlan;
}

/** Refuses a saved plan when the state moved on since it was made, or (when given) the configuration changed. */
export function checkSavedPlan(saved: SavedPlan, state: StateStamp, currentConfigHash?: string): void {
  const stale = (why: string) =>
    new NicError("STATE_CONFLICT", `The saved plan no longer applies: ${why}.`, {
      details: { plan: { lineage: saved.lineage, serial: saved.serial }, state: { lineage: state.lineage, serial: state.serial } },
      recovery: ["Make a new plan with `nic deploy --dry-run --plan-out FILE`, review it, and apply that one."],
    });
  if (saved.lineage !== state.lineage) throw stale("it was made for another state (lineage differs)");
  if (saved.serial !== state.serial) throw stale(`the state changed since (serial ${saved.serial} → ${state.serial})`);
  if (currentConfigHash !== undefined && saved.config_hash !== currentConfigHash) throw stale("the configuration changed since");
}

/** A hash of the desired resources, independent of key order. */
export function configHash(desired: readonly Resource[]): string {
  return createHash("sha256").update(canonicalJson(desired)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function notAPlan(source: string, why: string, cause?: unknown): NicError {
  return new NicError("INPUT_INVALID", `${source} cannot be used as a saved plan: ${why}.`, {
    details: { path: source },
    recovery: ["Pass a file written by `nic deploy --dry-run --plan-out FILE`."],
    cause,
  });
}
