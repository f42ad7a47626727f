// A standalone sandbox cluster for NIC's `local` and `existing` providers:
//   bun sandbox/kubernetes/main.ts [--name sandbox] [--port 6443] [--kubeconfig path] [--auth cert|token|exec|insecure]
// Writes a kubeconfig with one context per auth kind (--auth picks the current one), prints where, and serves until interrupted.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import { AUTH_KINDS, startStandaloneCluster, type AuthKind } from "./standalone.ts";

const { values } = parseArgs({
  options: {
    name: { type: "string", default: "sandbox" },
    port: { type: "string" },
    kubeconfig: { type: "string" },
    auth: { type: "string", default: "cert" },
  },
});
const name = values.name!;
const auth = values.auth as AuthKind;
if (!AUTH_KINDS.includes(auth)) {
  console.error(`--auth must be one of ${AUTH_KINDS.join(", ")}, not ${values.auth}`);
  process.exit(3);
}
const path = resolve(values.kubeconfig ?? `.sandbox/kubernetes/${name}.kubeconfig`);
const cluster = await startStandaloneCluster({ name, kubeconfigPath: path, port: values.port ? Number(values.port) : undefined });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void cluster.stop().then(() => process.exit(0)));
}
if (auth !== "cert") {
  const doc = parse(await Bun.file(path).text());
  doc["current-context"] = cluster.contexts[auth];
  await Bun.write(path, stringify(doc));
}
console.log(`# Kubernetes API "${name}" at ${cluster.api.endpoint}; kubeconfig written to ${path}`);
console.log(`# contexts: ${AUTH_KINDS.map((k) => `${cluster.contexts[k]} (${k})`).join(", ")}`);
console.log(`export KUBECONFIG=${path}`);
