// What a service module provides, and small builders for the four AWS protocols.
import { AwsError } from "../protocols/errors.ts";
import { json, json11Error, restJsonError } from "../protocols/json.ts";
import { ec2Error, ec2Response, queryError, queryResponse, unflatten } from "../protocols/query.ts";
import type { World } from "../world.ts";

export interface AwsRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
  world: World;
}

/** A request resolved to an operation: its AWS action name and the code that answers it. */
export interface Operation {
  action: string;
  run(): Response | Promise<Response>;
}

export interface AwsService {
  /** The SigV4 credential-scope service name the SDKs sign with. */
  signingName: string;
  /** Suffix of the SDK's AWS_ENDPOINT_URL_<envName> variable. */
  envName: string;
  /** More such suffixes, when one module answers for several SDK clients. */
  moreEnvNames?: string[];
  /** Error code AWS uses to throttle this service. */
  throttleCode: string;
  resolve(req: AwsRequest): Operation | undefined;
  error(err: AwsError): Response;
  /** Advance time-based transitions (CREATING → ACTIVE, lingering ENIs, ...). */
  settle?(world: World, now: number): void;
}

export const text = (req: AwsRequest) => new TextDecoder().decode(req.body);

export function formParams(req: AwsRequest): URLSearchParams {
  const params = new URLSearchParams(text(req));
  for (const [k, v] of req.url.searchParams) params.append(k, v);
  return params;
}

export type QueryHandler = (params: Record<string, any>, world: World) => Record<string, unknown> | undefined;

/** EC2 flavour of the query protocol: <item> lists, <Response><Errors> errors. */
export function ec2Service(actions: Record<string, QueryHandler>): AwsService {
  return {
    signingName: "ec2",
    envName: "EC2",
    throttleCode: "RequestLimitExceeded",
    resolve(req) {
      const params = unflatten(formParams(req));
      const handler = actions[params.Action];
      const action: string = params.Action;
      if (!handler) return { action: action ?? "Unknown", run: () => ec2Error(new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`)) };
      return { action, run: () => ec2Response(action, handler(params, req.world) ?? { return: true }) };
    },
    error: ec2Error,
  };
}

/** IAM/STS/Auto Scaling/ELB flavour: <ActionResult> wrapper, <member> lists, <ErrorResponse> errors. */
export function queryService(opts: {
  signingName: string;
  envName: string;
  xmlns: string;
  throttleCode?: string;
  actions: Record<string, QueryHandler>;
}): AwsService {
  return {
    signingName: opts.signingName,
    envName: opts.envName,
    throttleCode: opts.throttleCode ?? "Throttling",
    resolve(req) {
      const params = unflatten(formParams(req));
      const action: string = params.Action;
      const handler = opts.actions[action];
      if (!handler) return { action: action ?? "Unknown", run: () => queryError(new AwsError("InvalidAction", `Could not find operation ${action} for version ${params.Version}`)) };
      return { action, run: () => queryResponse(action, opts.xmlns, handler(params, req.world)) };
    },
    error: queryError,
  };
}

export type JsonHandler = (body: any, world: World) => unknown;

/** AWS JSON 1.1: POST / with X-Amz-Target: <prefix>.<Action>. */
export function json11Service(opts: { signingName: string; envName: string; targetPrefix: string; actions: Record<string, JsonHandler> }): AwsService {
  return {
    signingName: opts.signingName,
    envName: opts.envName,
    throttleCode: "ThrottlingException",
    resolve(req) {
      const target = req.headers.get("x-amz-target") ?? "";
      const action = target.slice(target.indexOf(".") + 1);
      const handler = target.startsWith(opts.targetPrefix + ".") ? opts.actions[action] : undefined;
      if (!handler) return { action: action || "Unknown", run: () => json11Error(new AwsError("UnknownOperationException", `Unknown operation ${target}`)) };
      return {
        action,
        run: () => json(handler(req.body.length ? JSON.parse(text(req)) : {}, req.world) ?? {}, 200, "application/x-amz-json-1.1"),
      };
    },
    error: json11Error,
  };
}

export interface RestContext {
  path: Record<string, string>;
  query: URLSearchParams;
  body: any;
  world: World;
  req: AwsRequest;
}
/** A REST route: method, path pattern with {name} segments, action name, handler returning a Response. */
export type RestRoute = [method: string, pattern: string, action: string, handler: (ctx: RestContext) => Response | Promise<Response>];

function compile(pattern: string): RegExp {
  const source = pattern.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{(\w+)\}/g, "(?<$1>[^/]+)");
  return new RegExp(`^${source}/?$`);
}

/** REST-JSON: routed by method and path. */
export function restJsonService(opts: { signingName: string; envName: string; throttleCode?: string; routes: RestRoute[] }): AwsService {
  const routes = opts.routes.map(([method, pattern, action, handler]) => ({ method, re: compile(pattern), action, handler }));
  return {
    signingName: opts.signingName,
    envName: opts.envName,
    throttleCode: opts.throttleCode ?? "ThrottlingException",
    resolve(req) {
      const pathname = req.url.pathname;
      for (const r of routes) {
        if (r.method !== req.method) continue;
        const m = r.re.exec(pathname);
        if (!m) continue;
        const path = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
        return {
          action: r.action,
          run: () => r.handler({ path, query: req.url.searchParams, body: req.body.length ? JSON.parse(text(req)) : {}, world: req.world, req }),
        };
      }
      return { action: "Unknown", run: () => restJsonError(new AwsError("UnknownOperationException", `No route for ${req.method} ${pathname}`, 404)) };
    },
    error: restJsonError,
  };
}

/** Tag maps in the [{Key, Value}] list shape that EC2/IAM/ECR/EFS use. */
export const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
export const tagMap = (list: { Key?: string; Value?: string; key?: string; value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map((t) => [t.Key ?? t.key ?? "", t.Value ?? t.value ?? ""]));
