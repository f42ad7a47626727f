// One port for every AWS service: pick the service from the SigV4 credential scope, resolve the
// operation, count it, apply injected faults, run it, render errors in the service's own shape.
import type { CallLog } from "../calls.ts";
import type { Faults } from "../faults.ts";
import { AwsError } from "../protocols/errors.ts";
import type { World } from "../world.ts";
import type { AwsService } from "./service.ts";

const SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
/** Signed for us-east-1 whatever the client's region. */
const GLOBAL = new Set(["iam"]);

/** The SigV4 credential scope: region and signing name, from the Authorization header or a presigned URL. */
function scope(req: Request, url: URL): { region?: string; service?: string } {
  const auth = req.headers.get("authorization");
  const scoped = auth ? SCOPE.exec(auth) : null;
  if (scoped) return { region: scoped[1], service: scoped[2] };
  const presigned = url.searchParams.get("X-Amz-Credential")?.split("/");
  if (presigned) return { region: presigned[2], service: presigned[3] };
  const target = req.headers.get("x-amz-target");
  if (target?.startsWith("AmazonEC2ContainerRegistry")) return { service: "ecr" };
  return {};
}

export function createAwsHandler(world: World, services: AwsService[], faults: Faults, calls: CallLog) {
  const bySigningName = new Map(services.map((s) => [s.signingName, s]));
  // Unsigned requests are S3 (browser-style GETs) unless they say otherwise.
  const fallback = bySigningName.get("s3");

  return async function handle(request: Request): Promise<Response> {
    const started = performance.now();
    const url = new URL(request.url);
    const { region, service: name } = scope(request, url);
    const service = (name && bySigningName.get(name)) || fallback;
    if (!service) return new Response(`No sandbox service for signing name ${name}`, { status: 400 });
    if (region && !GLOBAL.has(service.signingName)) world.region = region;

    settle(world, services);
    const body = new Uint8Array(await request.arrayBuffer());
    const op = service.resolve({ method: request.method, url, headers: request.headers, body, world });
    const action = op?.action ?? "Unknown";
    let response: Response;
    let error: string | undefined;
    try {
      await faults.apply(service.signingName, action, service.throttleCode);
      response = op ? await op.run() : service.error(new AwsError("UnknownOperationException", `Unknown operation ${request.method} ${url.pathname}`));
    } catch (err) {
      if (err instanceof AwsError) {
        error = err.code;
        response = service.error(err);
      } else {
        error = "InternalFailure";
        console.error(`sandbox: ${service.signingName}:${action} failed:`, err);
        response = service.error(new AwsError("InternalFailure", String(err), 500));
      }
    }
    calls.record(service.signingName, action, response.status, performance.now() - started, error);
    return response;
  };
}

/** Run the services' transition hooks when one is due. */
export function settle(world: World, services: AwsService[]): void {
  const now = Date.now();
  if (!world.takeDue(now)) return;
  for (const s of services) s.settle?.(world, now);
}
