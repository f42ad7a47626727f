// A CA per cluster, a server certificate for 127.0.0.1/localhost, and an admin client certificate, made by the openssl CLI.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ClusterCerts {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  adminCertPem: string;
  adminKeyPem: string;
}

const P256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "365"];

async function openssl(args: string[]) {
  const proc = Bun.spawn(["openssl", ...args], { stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`openssl ${args[0]} failed: ${await new Response(proc.stderr).text()}`);
}

/** EC P-256 keys keep this to two rounds of openssl (about 0.1 s); the leaf certificates are signed in parallel. */
export async function makeCerts(clusterName: string): Promise<ClusterCerts> {
  const dir = await mkdtemp(join(tmpdir(), "kube-certs-"));
  const f = (name: string) => join(dir, name);
  try {
    await openssl(["req", "-x509", ...P256, "-keyout", f("ca.key"), "-out", f("ca.pem"), "-subj", `/CN=${clusterName}-ca`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"]);
    const signed = ["-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-addext", "basicConstraints=critical,CA:FALSE"];
    await Promise.all([
      openssl(["req", "-x509", ...P256, ...signed, "-keyout", f("server.key"), "-out", f("server.pem"), "-subj", "/CN=kube-apiserver",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default", "-addext", "extendedKeyUsage=serverAuth"]),
      openssl(["req", "-x509", ...P256, ...signed, "-keyout", f("admin.key"), "-out", f("admin.pem"), "-subj", "/O=system:masters/CN=kubernetes-admin",
        "-addext", "extendedKeyUsage=clientAuth"]),
    ]);
    const read = (name: string) => readFile(f(name), "utf8");
    const [caPem, serverCertPem, serverKeyPem, adminCertPem, adminKeyPem] = await Promise.all(
      ["ca.pem", "server.pem", "server.key", "admin.pem", "admin.key"].map(read));
    return { caPem: caPem!, serverCertPem: serverCertPem!, serverKeyPem: serverKeyPem!, adminCertPem: adminCertPem!, adminKeyPem: adminKeyPem! };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
