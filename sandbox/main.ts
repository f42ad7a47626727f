// bun sandbox/main.ts [--port N] [--control-port N] [--state FILE]
// Starts the sandbox on 127.0.0.1 and prints its endpoints as shell exports: eval "$(bun sandbox/main.ts)".
import { parseArgs } from "node:util";
import { startSandbox } from "./index.ts";

const { values } = parseArgs({
  options: { port: { type: "string" }, "control-port": { type: "string" }, state: { type: "string" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("usage: bun sandbox/main.ts [--port N] [--control-port N] [--state FILE]\nPrints shell exports; see sandbox/README.md.");
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

const sandbox = await startSandbox({ port: port(values.port), controlPort: port(values["control-port"]), stateFile: values.state });
for (const [k, v] of Object.entries(sandbox.env)) console.log(`export ${k}=${JSON.stringify(v)}`);
console.error(`sandbox: AWS on ${sandbox.awsEndpoint}, control on ${sandbox.controlEndpoint}${values.state ? `, state in ${values.state}` : ""}. Ctrl-C stops.`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await sandbox.stop();
    process.exit(0);
  });
}
