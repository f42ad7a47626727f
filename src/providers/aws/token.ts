// An EKS bearer token, as aws-iam-authenticator and `aws eks get-token` make it: a presigned STS GetCallerIdentity
// URL with the cluster name in the signed x-k8s-aws-id header, base64url-encoded without padding.
import { createHash, createHmac } from "node:crypto";
import { clientConfig } from "./clients.ts";
import { partitionOf } from "./partition.ts";

/** The SHA-256 the SigV4 signer asks for, from node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac("sha256", toBuffer(secret)) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export async function eksToken(clusterName: string, region: string, env?: Record<string, string | undefined>): Promise<string> {
  const [{ STSClient }, { SignatureV4 }] = await Promise.all([import("./sdk/sts.ts"), import("@smithy/signature-v4")]);
  const config = clientConfig({ region, env }, "STS");
  // The STS client resolves the default credential chain (env, profiles, SSO, IMDS) for us.
  const credentials = await new STSClient(config).config.credentials();
  const endpoint = new URL(config.endpoint ?? `https://sts.${region}.${partitionOf(region).dnsSuffix}`);
  const signer = new SignatureV4({ credentials, region, service: "sts", sha256: Sha256 });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: endpoint.pathname,
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: endpoint.host, "x-k8s-aws-id": clusterName },
    },
    { expiresIn: 60 },
  );
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  const url = `${endpoint.protocol}//${endpoint.host}${signed.path}?${query}`;
  return `k8s-aws-v1.${Buffer.from(url).toString("base64url")}`;
}
