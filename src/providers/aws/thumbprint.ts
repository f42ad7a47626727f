// The OIDC issuer's thumbprint, as Nebari computes it with data.tls_certificate: the SHA-1 fingerprint of the
// root (last) certificate of the chain the issuer's host presents. Trust is not checked: IAM only records it.
import { connect, type DetailedPeerCertificate } from "node:tls";

export function issuerThumbprint(issuerUrl: string, signal: AbortSignal, timeoutMs = 15_000): Promise<string> {
  const url = new URL(issuerUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 443), servername: /^[\d.]+$/.test(url.hostname) ? undefined : url.hostname, rejectUnauthorized: false });
    const fail = (err: unknown) => (socket.destroy(), reject(err));
    const timer = setTimeout(() => fail(new Error(`TLS handshake with ${url.host} timed out`)), timeoutMs);
    signal.addEventListener("abort", () => fail(signal.reason), { once: true });
    socket.once("error", fail);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      let cert = socket.getPeerCertificate(true) as DetailedPeerCertificate;
      while (cert.issuerCertificate && cert.issuerCertificate !== cert && cert.issuerCertificate.fingerprint) cert = cert.issuerCertificate;
      socket.end();
      if (!cert.fingerprint) return reject(new Error(`${url.host} presented no certificate`));
      resolve(cert.fingerprint.replaceAll(":", "").toLowerCase());
    });
  });
}
