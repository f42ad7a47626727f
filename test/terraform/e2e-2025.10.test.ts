// Keep what exists, on the layout real Nebari AWS deployments have (2024.x to 2025.10.1): the real Terraform (1.11.4,
// hashicorp/aws 5.100.0) applies fixtures/terraform/aws-stage02-2025.10 on the sandbox — Amazon Linux 2 node groups, no
// IRSA roles, the autoscaling policy on the node role with 2025.10.1's actions — and stage 03 as chart 9.19.0 left it
// (another image, no IRSA annotation). `nic import` keeps all of it, `nic deploy --dry-run --detailed-exitcode` exits 0,
// a real deploy sends no mutating call, drift is clean, and `nic status` names what is kept.
// Missing terraform or provider mirror fails this test loudly (never a skip).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { terraformWorkspace, type TerraformWorkspace } from "../../sandbox/scripts/terraform.ts";
import { createLogger } from "../../src/cli/log.ts";
import type { TaskContext, TaskModule } from "../../src/cli/task.ts";
import { loadConfig } from "../../src/config/load.ts";
import { tempDir } from "../helpers/files.ts";
import { nebariPostDeploy } from "./post-deploy.ts";
import { terraformStage03 } from "./stage03-terraform.ts";

const FAST = { eksClusterCreate: 200, eksClusterDelete: 200, eksNodegroupCreate: 100, eksNodegroupDelete: 100, eksAddonCreate: 50, eksAddonDelete: 50, efsCreate: 50, efsDelete: 50, eniLinger: 500 };
const MINUTES = 60_000;
const STACK = join(import.meta.dir, "../../fixtures/terraform/aws-stage02-2025.10");
const CONFIG = `project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
  node_groups:
    general: {instance: t3.xlarge, min_nodes: 1, max_nodes: 1}
    user: {instance: t3.large, min_nodes: 0, max_nodes: 5, taints: []}
    worker: {instance: t3.large, min_nodes: 0, max_nodes: 5, taints: ["dedicated=worker:NoSchedule"]}
`;

let sandbox: Sandbox;
let tf: TerraformWorkspace;
let project: string;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: FAST });
  tf = terraformWorkspace(sandbox.awsEndpoint, STACK);
  for (const args of [["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]]) {
    const run = await tf.run(args);
    if (run.code !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.output.slice(-3000)}`);
  }
  await nebariPostDeploy(sandbox, "nic-dev");
  project = tempDir("nic-import-2025.10-");
  writeFileSync(join(project, "nebari-config.yaml"), CONFIG);
}, 5 * MINUTES);

afterAll(async () => {
  tf?.remove();
  await sandbox?.stop();
});

async function run(task: string, flags: TaskContext["flags"]) {
  const mod = (await import(`../../tasks/${task}.ts`)) as TaskModule;
  const ctx: TaskContext = {
    flags: { config: join(project, "nebari-config.yaml"), state: join(project, "nic-state.json"), "lock-timeout": "0s", ...flags },
    positionals: [],
    format: "json",
    log: createLogger({ format: "json", level: "warn", write: () => {}, isTTY: false, color: false }),
    env: { ...sandbox.env, PATH: process.env.PATH },
    cwd: project,
  };
  return mod.run(ctx);
}
const changesIn = (phase: any) => phase.plan.resources.filter((r: any) => r.action !== "no-op").map((r: any) => `${r.action} ${r.address}`);

test("Nebari 2025.10.1's layout: import keeps what exists (AL2, no IRSA roles, the older policy and chart), the first deploy changes nothing", async () => {
  const loaded = loadConfig(join(project, "nebari-config.yaml"), { env: {} });
  const stage03 = await terraformStage03({ config: loaded.config, clusterName: "nic-dev", env: sandbox.env, dir: project });
  const states = { "from-terraform": true, "terraform-state-02": join(tf.dir, "terraform.tfstate"), "terraform-state-03": stage03.tfstate };

  const check = (await run("import", { ...states, "validate-only": true })).document as any;
  expect({ missing: check.cloud.missing, conflicts: check.cloud.conflicts }).toEqual({ missing: [], conflicts: [] });
  // The autoscaling policy on the node role is older Nebari's, left as it is.
  expect(check.cloud.unmanaged.map((u: any) => u.terraform)).toEqual(["module.kubernetes.aws_iam_role_policy_attachment.node-group-policy[3]"]);
  const kept = (phase: any) => phase.kept_from_import.map((k: any) => `${k.address} ${k.field}`).sort();
  expect(kept(check.cloud)).toEqual([
    "aws/iam_policy/worker_autoscaling policy",
    "aws/eks_node_group/general ami_type",
    "aws/eks_node_group/user ami_type",
    "aws/eks_node_group/worker ami_type",
    "aws/iam_role/ebs_csi_driver *",
    "aws/iam_role_policy_attachment/ebs_csi_driver *",
    "aws/iam_role/cluster_autoscaler *",
    "aws/iam_role_policy_attachment/cluster_autoscaler *",
  ].sort());
  expect(kept(check.kubernetes)).toEqual(["k8s/deployment/dev/cluster-autoscaler-aws-cluster-autoscaler spec", "k8s/serviceaccount/dev/cluster-autoscaler metadata"].sort());
  expect({ ready: check.ready, blockers: check.blockers }).toEqual({ ready: true, blockers: [] });

  const imported = (await run("import", states)).document as any;
  const state = JSON.parse(readFileSync(imported.written.state, "utf8"));
  expect(state.metadata.kept_from_import.length).toBe(10);
  expect(Object.keys(state.resources).filter((a) => a.includes("ebs_csi_driver") || a.includes("iam_role/cluster_autoscaler"))).toEqual([]);

  const dryRun = await run("deploy", { "dry-run": true, "detailed-exitcode": true, parallelism: "8" });
  const doc = dryRun.document as any;
  expect([...changesIn(doc.phases.cloud), ...changesIn(doc.phases.kubernetes)]).toEqual([]);
  expect(dryRun.exitCode ?? 0).toBe(0);
  expect(doc.phases.cloud.plan.resources.find((e: any) => e.address === "aws/iam_policy/worker_autoscaling").note).toBe("kept from import: policy (an older Nebari's value)");

  await fetch(`${sandbox.controlEndpoint}/calls`, { method: "DELETE" });
  const deploy = await run("deploy", { parallelism: "8", yes: true });
  expect(deploy.exitCode ?? 0).toBe(0);
  const calls = ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: { service: string; action: string }[] }).calls;
  expect(calls.filter((c) => !/^(Describe|Get|List)/.test(c.action)).map((c) => `${c.service}:${c.action}`)).toEqual([]);
  // Chart 9.19.0's image is still what runs.
  const image = JSON.parse((await stage03.kubectl("get", "deployment", "-n", "dev", "cluster-autoscaler-aws-cluster-autoscaler", "-o", "json")).stdout).spec.template.spec.containers[0].image;
  expect(image).toBe("k8s.gcr.io/autoscaling/cluster-autoscaler:v1.23.0");

  const drift = (await run("drift-detect", { "detailed-exitcode": true })).document as any;
  expect({ has_drift: drift.has_drift, config: drift.configuration.differs }).toEqual({ has_drift: false, config: false });
  const status = (await run("status", {})).document as any;
  expect(status.healthy).toBe(true);
  expect(status.issues.find((i: any) => i.code === "kept_from_import")?.message).toStartWith("10 value(s) an older Nebari made are kept from the import");
}, 5 * MINUTES);
