// bun sandbox/main.ts [--port N] [--control-port N] [--state FILE] [--profile realistic [--scale 60]]
// Starts the sandbox on 127.0.0.1 and prints its endpoints as shell exports: eval "$(bun sandbox/main.ts)".
// It also starts a standalone Kubernetes cluster (no cloud around it) for `provider: existing` / `local`: NIC_SANDBOX_KUBECONFIG.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startSandbox } from "./index.ts";
import { isProfile, PROFILES } from "./profiles.ts";
import { startStandaloneCluster } from "./kubernetes/standalone.ts";

const { values } = parseArgs({
  options: { port: { type: "string" }, "control-port": { type: "string" }, state: { type: "string" }, kubeconfig: { type: "string" }, profile: { type: "string" }, scale: { type: "string" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("usage: bun sandbox/main.ts [--port N] [--control-port N] [--state FILE] [--kubeconfig FILE] [--profile default|realistic [--scale N]]\nPrints shell exports; see sandbox/README.md.");
  process.exit(0);
}
const port = (v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`sandbox: not a port: ${v}`);
    process.exit(3);
  }
  return n;
};

const profile = values.profile ?? "default";
if (!isProfile(profile)) {
  console.error(`sandbox: unknown profile ${profile}; known: ${PROFILES.join(", ")}`);
  process.exit(3);
}
const sandbox = await startSandbox({ port: port(values.port), controlPort: port(values["control-port"]), stateFile: values.state, profile, scale: values.scale ? Number(values.scale) : undefined });
const kube = await startStandaloneCluster({ name: "sandbox", kubeconfigPath: resolve(values.kubeconfig ?? ".sandbox/kubernetes/sandbox.kubeconfig") });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await Promise.all([sandbox.stop(), kube.stop()]);
    process.exit(0);
  });
}
// NIC_SANDBOX_CONTROL comes last: readers (scripts/demo.sh, tests) take it as the sign that every export is printed.
const exports: Record<string, string> = { ...sandbox.env, NIC_SANDBOX_KUBECONFIG: kube.kubeconfigPath };
const { NIC_SANDBOX_CONTROL, ...others } = exports;
for (const [k, v] of Object.entries({ ...others, NIC_SANDBOX_CONTROL })) console.log(`export ${k}=${JSON.stringify(v)}`);
console.error(`sandbox: standalone Kubernetes API on ${kube.api.endpoint}; contexts ${Object.values(kube.contexts).join(", ")} in $NIC_SANDBOX_KUBECONFIG`);
console.error(`sandbox: AWS on ${sandbox.awsEndpoint}, Azure (ARM + Azure AD) on ${sandbox.azure.endpoint}, control on ${sandbox.controlEndpoint}${values.state ? `, state in ${values.state}` : ""}. Ctrl-C stops.`);
