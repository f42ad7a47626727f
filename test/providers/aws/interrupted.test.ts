// A deploy interrupted (Ctrl-C) while the EKS cluster is still CREATING leaves a half-made deployment whose cluster has
// no API endpoint yet. `nic status` must not call it healthy; one `nic destroy --yes` must skip the Kubernetes sweep
// (there is no API to ask) and empty the sandbox, exit 0. The CLI runs as a user runs it, in a subprocess.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../../sandbox/index.ts";
import { FAST } from "../../drift/harness.ts";

const CONFIG = `project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.33'
  node_groups:
    general: {instance: t3.xlarge, min_nodes: 1, max_nodes: 1}
`;

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  // The cluster stays CREATING long enough to interrupt the deploy during it.
  sandbox = await startSandbox({ delays: { ...FAST, eksClusterCreate: 15_000 } });
  dir = mkdtempSync(join(tmpdir(), "nic-interrupted-"));
  writeFileSync(join(dir, "nebari-config.yaml"), CONFIG);
});
afterAll(() => sandbox?.stop());

const cli = (...args: string[]) =>
  Bun.spawn([process.execPath, "src/main.ts", ...args, "-f", join(dir, "nebari-config.yaml"), "--state", join(dir, "nic-state.json"), "--format", "json"], {
    cwd: join(import.meta.dir, "../../.."),
    env: { ...process.env, ...sandbox.env, NO_COLOR: "1" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });

async function inventory(): Promise<{ type: string; id: string; status?: string }[]> {
  return ((await (await fetch(`${sandbox.controlEndpoint}/inventory`)).json()) as any).resources;
}

test("after a deploy interrupted while the cluster was CREATING: status is not healthy; one destroy run, exit 0, leaves nothing", async () => {
  const deploy = cli("deploy");
  // Interrupted once the deploy only waits for the cluster to settle (CreateCluster answered, everything else it started
  // done), not at a fixed time after the sandbox made the cluster: on a loaded machine the answer may still be on its way,
  // or other creates still in flight, and the interruption would cut those off instead of the wait.
  const busy = new Set<string>();
  let waiting = false;
  let pending = "";
  // Read on after the Ctrl-C too: a closed pipe would fail the run's own last log lines (EPIPE) and its exit code.
  const log = deploy.stderr.getReader();
  for (let read = await log.read(); !read.done; read = await log.read()) {
    pending += new TextDecoder().decode(read.value);
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const event = line.startsWith("{") ? JSON.parse(line).event : undefined;
      if (event?.type === "started") busy.add(event.address);
      if (event?.type === "done" || event?.type === "failed") busy.delete(event.address);
      if (event?.type === "waiting" && event.address === "aws/eks_cluster/main") waiting = true;
    }
    if (waiting && busy.size === 1 && busy.has("aws/eks_cluster/main")) break;
  }
  expect({ waiting, busy: [...busy] }).toEqual({ waiting: true, busy: ["aws/eks_cluster/main"] });
  void (async () => {
    while (!(await log.read()).done);
  })();
  deploy.kill("SIGINT");
  await deploy.exited;
  const state = JSON.parse(readFileSync(join(dir, "nic-state.json"), "utf8"));
  const cluster = state.resources["aws/eks_cluster/main"];
  expect(cluster.attributes.status).toBe("CREATING");
  expect(cluster.attributes.endpoint ?? null).toBeNull();

  // Half-made: no run finished, and most of what the configuration asks for is not tracked.
  const status = cli("status", "--detailed-exitcode");
  const [statusOut, , statusCode] = await Promise.all([new Response(status.stdout).text(), new Response(status.stderr).text(), status.exited]);
  const report = JSON.parse(statusOut);
  expect({ healthy: report.healthy, exit: statusCode }).toEqual({ healthy: false, exit: 2 });
  expect(report.issues.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(["no_finished_run", "desired_untracked"]));

  const destroy = cli("destroy", "--yes");
  const [stdout, stderr, code] = await Promise.all([new Response(destroy.stdout).text(), new Response(destroy.stderr).text(), destroy.exited]);
  expect({ code, error: code ? `${stdout}${stderr}`.slice(-2000) : "" }).toEqual({ code: 0, error: "" });
  expect(stderr).not.toContain("Invalid URL");
  let left = await inventory();
  for (let i = 0; left.length && i < 40; i++, left = await inventory()) await Bun.sleep(500);
  expect(left.map((r) => `${r.type}:${r.id}`)).toEqual([]);
}, 240_000);
