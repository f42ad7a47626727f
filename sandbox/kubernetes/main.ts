// A standalone sandbox cluster for NIC's `local` and `existing` providers:
//   bun sandbox/kubernetes/main.ts [--name local] [--port 6443] [--kubeconfig path] [--auth cert|token]
// Writes a kubeconfig, prints where, and serves until interrupted.
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startKubeApi } from "./index.ts";

const { values } = parseArgs({
  options: {
    name: { type: "string", default: "local" },
    port: { type: "string" },
    kubeconfig: { type: "string" },
    auth: { type: "string", default: "cert" },
  },
});
const name = values.name!;
if (values.auth !== "cert" && values.auth !== "token") {
  console.error(`--auth must be cert or token, not ${values.auth}`);
  process.exit(3);
}
const server = await startKubeApi({ name, port: values.port ? Number(values.port) : undefined });
const path = resolve(values.kubeconfig ?? `.sandbox/kubernetes/${name}.kubeconfig`);
await mkdir(dirname(path), { recursive: true });
await Bun.write(path, server.kubeconfig(values.auth));
console.log(`# Kubernetes API "${name}" at ${server.endpoint}; kubeconfig written to ${path}`);
console.log(`export KUBECONFIG=${path}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void server.stop().then(() => process.exit(0)));
}
