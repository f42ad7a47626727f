// GCP destroy when the cluster went before its LoadBalancer Services (deleted with gcloud here; a crashed destroy does the
// same): GKE's forwarding rule, target pool and firewalls outlive it, and only NIC's sweep by the nodes' network tag
// removes them. Another cluster's load balancer in the same project is left alone. The compiled binary, the GCP sandbox,
// and gcloud listing the same objects before and after.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { gcpClients } from "../../src/providers/gcp/clients.ts";
import { orNotFound } from "../../src/providers/gcp/errors.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

const DEMO = readFileSync(join(import.meta.dir, "../../fixtures/configs/demo-gcp.yaml"), "utf8");
const PROJECT = "nebari-sandbox";
let sandbox: Sandbox;
let dir: string;

const control = async (path: string, init?: RequestInit) => (await (await fetch(`${sandbox.controlEndpoint}${path}`, init)).json()) as any;
const inventory = async () => (await control("/inventory")).resources.filter((r: any) => /^gcp:(forwarding-rule|target-pool|http-health-check|firewall)$/.test(r.type)).map((r: any) => `${r.type.slice(4)}:${r.id}`).sort();
const run = (...args: string[]) => nicAsync([...args, "-f", join(dir, "nebari-config.yaml"), "--format", "json"], { ...sandbox.env, HOME: dir });

async function spawn(cmd: string[]) {
  const env = { ...process.env, ...sandbox.env, CLOUDSDK_CONFIG: join(dir, "gcloud") } as Record<string, string>;
  const child = Bun.spawn(cmd, { env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

/** What gcloud (the independent client) lists of the load balancers' objects, as `type:name`. */
async function gcloudSees(): Promise<string[]> {
  const env = { ...process.env, ...sandbox.env, CLOUDSDK_CONFIG: join(dir, "gcloud") } as Record<string, string | undefined>;
  delete env.REQUESTS_CA_BUNDLE;
  delete env.CURL_CA_BUNDLE;
  const lists = [["forwarding-rule", "forwarding-rules", "list", "--regions", "us-central1"], ["target-pool", "target-pools", "list", "--regions", "us-central1"], ["http-health-check", "http-health-checks", "list"], ["firewall", "firewall-rules", "list"]];
  const seen = await Promise.all(lists.map(async ([type, ...args]) => {
    const child = Bun.spawn(["gcloud", "compute", ...args, "--format=json", "--quiet"], { env, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    if (code !== 0) throw new Error(`gcloud compute ${args.join(" ")}: ${stderr}`);
    return (JSON.parse(stdout) as Array<{ name: string }>).map((x) => `${type}:${x.name}`);
  }));
  return seen.flat().sort();
}

/** Another cluster's load balancer, as GKE's service controller names it: never NIC's to sweep. */
const FOREIGN = "a0123456789abcdef0123456789abcde";
const foreign = (type: string, id: string, extra: object) => ({ type, id, name: id, tags: {}, project: PROJECT, description: '{"kubernetes.io/service-name":"prod/web"}', ...extra });

beforeAll(async () => {
  sandbox = await startSandbox();
  await control("/seed", {
    method: "POST",
    body: JSON.stringify({
      resources: [
        foreign("gcp:forwarding-rule", FOREIGN, { region: "us-central1", IPAddress: "34.1.2.3" }),
        foreign("gcp:target-pool", FOREIGN, { region: "us-central1", instances: [] }),
        foreign("gcp:firewall", `k8s-fw-${FOREIGN}`, { network: "default", targetTags: ["gke-nicdemo-prod-0badf00d-node"] }),
      ],
      delays: { gkeClusterCreate: 200, gkeNodePoolCreate: 50, gkeNodePoolDelete: 50, gkeClusterDelete: 50 },
    }),
  });
  dir = tempDir("nic-gcp-sweep-");
  writeFileSync(join(dir, "nebari-config.yaml"), DEMO);
}, 60_000);
afterAll(() => sandbox?.stop());

test("Compute's errors (no canonical status in their envelope) read as NotFound", async () => {
  const gcp = gcpClients({ project: PROJECT, region: "us-central1", env: sandbox.env });
  expect(await orNotFound(() => gcp.rest("compute", "DELETE", `compute/v1/projects/${PROJECT}/global/firewalls/k8s-fw-gone`))).toBeUndefined();
});

test("destroy after the cluster went before its LoadBalancer Service sweeps what GKE left, and only that", async () => {
  const deployed = await run("deploy");
  expect(deployed.code, deployed.stderr + deployed.stdout).toBe(0);
  const svc = join(dir, "svc.json");
  writeFileSync(svc, JSON.stringify({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "dev" }, spec: { type: "LoadBalancer", ports: [{ port: 80 }] } }));
  const applied = await spawn(["kubectl", "--kubeconfig", join(dir, ".nebari/stages/02-infrastructure/kubeconfig"), "apply", "-f", svc]);
  expect(applied.code, applied.stderr).toBe(0);
  const before = await inventory();
  const ours = before.filter((x: string) => !x.includes(FOREIGN));
  // A forwarding rule, its target pool, the service's firewall; the cluster's health check and its firewall.
  expect(ours.map((x: string) => x.replace(/a[0-9a-f]{31}/, "<lb>").replace(/k8s-[0-9a-f]{16}-/, "k8s-<uid>-"))).toEqual(["firewall:k8s-<uid>-node-http-hc", "firewall:k8s-fw-<lb>", "forwarding-rule:<lb>", "http-health-check:k8s-<uid>-node", "target-pool:<lb>"]);

  expect(await gcloudSees()).toEqual(before);

  const deleted = await spawn(["gcloud", "container", "clusters", "delete", "nicdemo-dev", "--region", "us-central1", "--quiet"]);
  expect(deleted.code, deleted.stderr).toBe(0);

  const dry = await run("destroy", "--dry-run");
  expect(JSON.parse(dry.stdout).sweeps.join("\n")).toContain("forwarding rules, target pools, the HTTP health check and firewalls GKE made for the LoadBalancer Services of cluster nicdemo-dev");

  const r = await run("destroy", "--yes");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  expect(JSON.parse(r.stdout).swept.sort()).toEqual(ours);
  expect(await inventory()).toEqual([`firewall:k8s-fw-${FOREIGN}`, `forwarding-rule:${FOREIGN}`, `target-pool:${FOREIGN}`]);
  expect(await gcloudSees()).toEqual(await inventory());
  // Each delete's operation was read back to DONE before the next (a target pool goes only after its forwarding rule,
  // the health check after the pools).
  const actions = (await control("/calls")).calls.map((c: any) => c.action).filter((a: string) => /^(Delete(ForwardingRule|TargetPool|HttpHealthCheck|Firewall)|Get(Region|Global)Operation)$/.test(a));
  expect(actions.join(" ")).toMatch(/ DeleteForwardingRule GetRegionOperation DeleteTargetPool GetRegionOperation DeleteHttpHealthCheck GetGlobalOperation (DeleteFirewall GetGlobalOperation ?){2}$/);
}, 120_000);
