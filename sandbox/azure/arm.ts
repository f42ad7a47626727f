// ARM's wire conventions shared by every Azure module: case-insensitive paths, the error envelope, resource ids.
import type { World } from "../world.ts";

export const SUBSCRIPTION_ID = "00000000-0000-0000-0000-00000000cafe";
export const TENANT_ID = "00000000-0000-0000-0000-0000000000aa";
export const CLIENT_ID = "nic-sandbox-sp";
export const CLIENT_SECRET = "nic-sandbox-secret";

/** An ARM error: `{"error": {"code", "message"}}` with its HTTP status. */
export class ArmError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export const notFound = (kind: string, name: string, group?: string) =>
  new ArmError(group === undefined ? "ResourceGroupNotFound" : "ResourceNotFound",
    group === undefined ? `Resource group '${name}' could not be found.` : `The Resource '${kind}/${name}' under resource group '${group}' was not found.`, 404);

/** What a handler returns; `null` body means no content. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Request {
  method: string;
  /** Path segments as sent (names keep their case). */
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  /** https://127.0.0.1:PORT */
  base: string;
}

export interface Route {
  method: string;
  /** e.g. /subscriptions/{sub}/resourcegroups/{rg}; matched case-insensitively. */
  path: string;
  /** Names the call in the call log and fault rules: service "containerservice", action "ManagedClusters_Get". */
  service: string;
  action: string;
  handle(req: Request): Reply | Promise<Reply>;
}

/** Every ARM record in the world: keyed by its lower-cased ARM id, with the id as ARM spells it. */
export interface ArmRecord {
  type: string;
  id: string;
  name: string;
  tags: Record<string, string>;
  armId: string;
  location: string;
  provisioningState: string;
}

export const key = (armId: string) => armId.toLowerCase();
export const groupId = (group: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${group}`;
/** "Central US" → "centralus", as ARM answers. */
export const normalLocation = (location: string) => String(location ?? "").toLowerCase().replaceAll(" ", "");

export function requireGroup(world: World, group: string): ArmRecord {
  const rg = world.table<ArmRecord>("azure:resource-group").get(key(groupId(group)));
  if (!rg || rg.provisioningState === "Deleting") throw notFound("resourceGroups", group);
  return rg;
}

/** Records of a type inside a resource group (by id prefix). */
export function inGroup<T extends ArmRecord>(world: World, type: string, group: string): T[] {
  const prefix = `${key(groupId(group))}/`;
  return [...world.table<T>(type).values()].filter((r) => r.id.startsWith(prefix));
}

export function compile(path: string): RegExp {
  const source = path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)").replace(/\./g, "\\.");
  return new RegExp(`^${source}/?$`, "i");
}

export const uuid = () => crypto.randomUUID();
export const now = () => new Date().toISOString();
