// The OIDC issuer behind every sandbox EKS cluster: a TLS endpoint with its own self-signed certificate,
// so clients can compute the issuer thumbprint from a real certificate chain, as NIC does for IRSA.
// Issuer URLs must have no port (the Terraform provider rejects "host:port/id/..." when it strips the
// scheme), so the issuer listens on port 443 of a random loopback address (127.x.y.z). Where port 443
// cannot be bound (not root), issuers fall back to the AWS form https://oidc.eks.<region>.amazonaws.com,
// which works for Terraform but cannot be fetched.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface OidcIssuer {
  /** https://127.x.y.z — cluster issuers are <base>/id/<32 hex>. */
  base: string;
  /** Whether `base` really serves TLS (false in the AWS-form fallback). */
  served: boolean;
  certPem: string;
  stop(): Promise<void>;
}

function selfSignedCertificate(ip: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "nic-sandbox-oidc-"));
  try {
    const keyFile = join(dir, "key.pem");
    const certFile = join(dir, "cert.pem");
    const openssl = Bun.spawnSync(
      ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile,
        "-days", "365", "-subj", "/CN=oidc.sandbox.nic", "-addext", `subjectAltName=IP:${ip},DNS:localhost`],
      { stderr: "pipe" },
    );
    if (openssl.exitCode !== 0) throw new Error(`openssl failed: ${openssl.stderr.toString()}`);
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function discovery(req: Request): Response {
  const url = new URL(req.url);
  const m = /^(\/id\/[0-9A-F]{32})\/(\.well-known\/openid-configuration|keys)$/.exec(url.pathname);
  if (!m) return new Response("not found", { status: 404 });
  const issuer = `${url.origin}${m[1]}`;
  if (m[2] === "keys") return Response.json({ keys: [] });
  return Response.json({
    issuer,
    jwks_uri: `${issuer}/keys`,
    authorization_endpoint: "urn:kubernetes:programmatic_authorization",
    response_types_supported: ["id_token"],
    subject_types_supported: ["public"],
    claims_supported: ["sub", "iss"],
    id_token_signing_alg_values_supported: ["RS256"],
  });
}

const randomLoopback = () => `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

export function startOidcIssuer(region: string): OidcIssuer {
  for (let attempt = 0; attempt < 3; attempt++) {
    const ip = randomLoopback();
    const { cert, key } = selfSignedCertificate(ip);
    try {
      const server = Bun.serve({ hostname: ip, port: 443, tls: { cert, key }, fetch: discovery });
      return { base: `https://${ip}`, served: true, certPem: cert, stop: () => server.stop(true) };
    } catch {
      // Port 443 needs privileges, or the address is taken: try another, then fall back.
    }
  }
  const { cert } = selfSignedCertificate("127.0.0.1");
  return { base: `https://oidc.eks.${region}.amazonaws.com`, served: false, certPem: cert, stop: async () => {} };
}
