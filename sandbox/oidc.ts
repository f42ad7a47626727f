// The OIDC issuer behind every sandbox EKS cluster: a TLS endpoint with its own self-signed certificate,
// so clients can compute the issuer thumbprint from a real certificate chain, as NIC does for IRSA.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface OidcIssuer {
  /** https://127.0.0.1:PORT — cluster issuers are <base>/id/<32 hex>. */
  base: string;
  certPem: string;
  stop(): Promise<void>;
}

function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "nic-sandbox-oidc-"));
  try {
    const keyFile = join(dir, "key.pem");
    const certFile = join(dir, "cert.pem");
    const openssl = Bun.spawnSync(
      ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile,
        "-days", "365", "-subj", "/CN=oidc.sandbox.nic", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
      { stderr: "pipe" },
    );
    if (openssl.exitCode !== 0) throw new Error(`openssl failed: ${openssl.stderr.toString()}`);
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function startOidcIssuer(): OidcIssuer {
  const { cert, key } = selfSignedCertificate();
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert, key },
    fetch(req) {
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
    },
  });
  return { base: `https://127.0.0.1:${server.port}`, certPem: cert, stop: () => server.stop(true) };
}
