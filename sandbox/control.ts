// The control API (JSON over HTTP on its own port): reset, seed, inventory, call log and counters,
// transition delays, fault injection, and changes behind the client's back. See sandbox/README.md.
import type { CallLog } from "./calls.ts";
import type { Faults, FaultRule } from "./faults.ts";
import type { Resource, World } from "./world.ts";

export interface ControlContext {
  world: World;
  calls: CallLog;
  faults: Faults;
  env: () => Record<string, string>;
  /** Advance due transitions so reads see the current world. */
  settle: () => void;
  /** Stop what the world's resources hold outside it (Kubernetes APIs). */
  onReset: () => Promise<void>;
}

const ok = (body: unknown = { success: true }) => Response.json(body);
const fail = (status: number, message: string) => Response.json({ success: false, error: message }, { status });

/** Apply a change to one resource as if someone had used the cloud console. */
function mutate(world: World, change: { type: string; id: string; set?: Record<string, unknown>; tags?: Record<string, string>; removeTags?: string[]; delete?: boolean }): Resource | undefined {
  const r = world.table(change.type).get(change.id);
  if (!r) throw new Error(`no ${change.type} with id ${change.id}`);
  if (change.delete) {
    world.remove(change.type, change.id);
    return undefined;
  }
  if (change.set) deepMerge(r as unknown as Record<string, unknown>, change.set);
  Object.assign(r.tags, change.tags);
  for (const k of change.removeTags ?? []) delete r.tags[k];
  world.changed();
  return r;
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    const current = target[k];
    if (v && typeof v === "object" && !Array.isArray(v) && current && typeof current === "object" && !Array.isArray(current))
      deepMerge(current as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = v;
  }
}

export function createControlHandler(ctx: ControlContext) {
  const { world, calls, faults } = ctx;
  return async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const route = `${req.method} ${url.pathname.replace(/\/+$/, "") || "/"}`;
    const body = async () => (req.headers.get("content-length") === "0" ? {} : ((await req.json().catch(() => ({}))) as any));
    try {
      switch (route) {
        case "GET /health":
          return ok({ success: true, resources: world.all().length });
        case "GET /env":
          return ok(ctx.env());
        case "POST /reset":
          world.reset();
          calls.clear();
          faults.clear();
          await ctx.onReset();
          return ok();
        case "POST /seed":
          world.load(await body());
          return ok({ success: true, resources: world.all().length });
        case "GET /inventory": {
          ctx.settle();
          const type = url.searchParams.get("type");
          const resources = world.inventory().filter((r) => !type || r.type === type);
          return ok({ resources });
        }
        case "GET /dump":
          ctx.settle();
          return ok(world.dump());
        case "GET /calls":
          return ok({ calls: calls.since(Number(url.searchParams.get("since") ?? 0)) });
        case "DELETE /calls":
          calls.clear();
          return ok();
        case "GET /counters":
          return ok({ counters: Object.fromEntries(calls.counters) });
        case "GET /delays":
          return ok({ delays: world.delays });
        case "PUT /delays": {
          const patch = await body();
          const unknown = Object.keys(patch).filter((k) => !(k in world.delays));
          if (unknown.length) return fail(400, `unknown delays: ${unknown.join(", ")}; known: ${Object.keys(world.delays).join(", ")}`);
          Object.assign(world.delays, patch);
          return ok({ delays: world.delays });
        }
        case "GET /faults":
          return ok({ faults: faults.list() });
        case "POST /faults":
          return ok({ success: true, id: faults.add((await body()) as FaultRule) });
        case "DELETE /faults":
          faults.clear();
          return ok();
        case "POST /mutate":
          return ok({ success: true, resource: mutate(world, await body()) });
      }
      const fault = /^DELETE \/faults\/(\d+)$/.exec(route);
      if (fault) {
        faults.remove(Number(fault[1]));
        return ok();
      }
      return fail(404, `no control route ${route}`);
    } catch (err) {
      return fail(400, err instanceof Error ? err.message : String(err));
    }
  };
}
