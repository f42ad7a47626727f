// Who may call: a client certificate signed by the cluster CA, or a bearer token (EKS-style or one the caller allows).
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

const EKS_PREFIX = "k8s-aws-v1.";

/**
 * An `aws eks get-token` token: the prefix, then base64url of a presigned STS GetCallerIdentity URL
 * whose signature covers the `x-k8s-aws-id` header (the cluster name). The signature itself is not checked.
 */
export function isEksToken(token: string): boolean {
  if (!token.startsWith(EKS_PREFIX)) return false;
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(EKS_PREFIX.length), "base64url").toString("utf8"));
  } catch {
    return false;
  }
  const q = url.searchParams;
  const signedHeaders = (q.get("X-Amz-SignedHeaders") ?? "").toLowerCase().split(";");
  return q.get("Action") === "GetCallerIdentity" && Boolean(q.get("X-Amz-Signature")) &&
    (signedHeaders.includes("x-k8s-aws-id") || q.has("x-k8s-aws-id"));
}

export function authenticated(req: IncomingMessage, acceptToken: (token: string) => boolean): boolean {
  // The server requests a client certificate but does not require one; `authorized` means it chains to our CA.
  if ((req.socket as TLSSocket).authorized) return true;
  const header = req.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : "";
  return token !== "" && (isEksToken(token) || acceptToken(token));
}
