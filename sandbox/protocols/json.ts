// JSON protocols: AWS JSON 1.1 (ECR) and REST-JSON (EKS, EFS, Resource Groups).
import type { AwsError } from "./errors.ts";

export function json(body: unknown, status = 200, contentType = "application/json"): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": contentType } });
}

/** JSON 1.1 errors carry the code in __type. */
export function json11Error(err: AwsError): Response {
  return new Response(JSON.stringify({ __type: err.code, message: err.message }), {
    status: err.status,
    headers: { "content-type": "application/x-amz-json-1.1", ...err.headers },
  });
}

/** REST-JSON errors carry the code in x-amzn-ErrorType (EFS also wants ErrorCode in the body). */
export function restJsonError(err: AwsError): Response {
  return new Response(JSON.stringify({ message: err.message, Message: err.message, ErrorCode: err.code }), {
    status: err.status,
    headers: { "content-type": "application/json", "x-amzn-errortype": err.code, ...err.headers },
  });
}

/** Epoch seconds, the REST-JSON timestamp format. */
export const epoch = (ms: number) => ms / 1000;
