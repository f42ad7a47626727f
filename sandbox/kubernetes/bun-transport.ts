// Test helper: @kubernetes/client-node API clients over Bun's fetch, so the kubeconfig's CA and client certificate
// are honoured (client-node's own transport loses them under Bun: bun-lab §4.4, workaround A). NIC's copy lives in src/kubernetes.
import type https from "node:https";
import {
  KubeConfig, ResponseContext, ServerConfiguration, createConfiguration, wrapHttpLibrary, type RequestContext,
} from "@kubernetes/client-node";

export function makeApiClientBun<T>(kc: KubeConfig, Api: new (config: ReturnType<typeof createConfiguration>) => T): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("The kubeconfig has no current cluster.");
  const httpApi = wrapHttpLibrary({
    async send(req: RequestContext) {
      const options: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(options); // ca, cert, key, rejectUnauthorized, servername
      const tls: Record<string, unknown> = {};
      if (options.ca) tls.ca = options.ca.toString();
      if (options.cert) tls.cert = options.cert.toString();
      if (options.key) tls.key = options.key.toString();
      if (options.rejectUnauthorized === false) tls.rejectUnauthorized = false;
      if (options.servername) tls.serverName = options.servername;
      const res = await fetch(req.getUrl(), {
        method: req.getHttpMethod(),
        body: req.getBody() as RequestInit["body"],
        headers: { "user-agent": "nic", ...req.getHeaders() },
        signal: req.getSignal() as AbortSignal | undefined,
        tls,
      } as RequestInit);
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => (headers[key] = value));
      return new ResponseContext(res.status, headers, {
        text: () => res.text(),
        binary: async () => Buffer.from(await res.arrayBuffer()),
        stream: () => res.body,
      });
    },
  });
  return new Api(createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: kc }, httpApi }));
}
