// Keep what exists, on the layouts real Nebari AWS deployments have: Nebari 2023.10.1 (the oldest NIC imports) and
// 2025.10.1 (what 2024.x-2025.10 deployments look like). For each, the real Terraform (1.11.4, hashicorp/aws 5.100.0)
// applies fixtures/terraform/aws-stage02-<release> on a fresh sandbox — Amazon Linux 2 node groups, no IRSA roles, the
// autoscaling policy on the node role, and for 2023.10.1 no node labels, other node tags, an unconfigured EBS CSI add-on,
// no coredns add-on, rules without descriptions, module.efs without [0] — with stage 03 as chart 9.19.0 left it (another
// image, no IRSA annotation). `nic import` keeps all of it, `nic deploy --dry-run --detailed-exitcode` exits 0, a real
// deploy sends no mutating call, drift is clean, and `nic status` names what is kept.
// Missing terraform or provider mirror fails this test loudly (never a skip).
import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { terraformWorkspace } from "../../sandbox/scripts/terraform.ts";
import { createLogger } from "../../src/cli/log.ts";
import type { TaskContext, TaskModule } from "../../src/cli/task.ts";
import { loadConfig } from "../../src/config/load.ts";
import { tempDir } from "../helpers/files.ts";
import { nebariPostDeploy } from "./post-deploy.ts";
import { terraformStage03 } from "./stage03-terraform.ts";

const FAST = { eksClusterCreate: 200, eksClusterDelete: 200, eksNodegroupCreate: 100, eksNodegroupDelete: 100, eksAddonCreate: 50, eksAddonDelete: 50, efsCreate: 50, efsDelete: 50, eniLinger: 500 };
const MINUTES = 60_000;
const config = (workerTaints: string) => `project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
  node_groups:
    general: {instance: t3.xlarge, min_nodes: 1, max_nodes: 1}
    user: {instance: t3.large, min_nodes: 0, max_nodes: 5, taints: []}
    worker: {instance: t3.large, min_nodes: 0, max_nodes: 5, taints: ${workerTaints}}
`;
const GROUPS = ["general", "user", "worker"];
const NEWER = ["aws/iam_role/ebs_csi_driver *", "aws/iam_role_policy_attachment/ebs_csi_driver *", "aws/iam_role/cluster_autoscaler *", "aws/iam_role_policy_attachment/cluster_autoscaler *"];

const LAYOUTS = [
  {
    release: "2025.10.1",
    stack: "aws-stage02-2025.10",
    // Nebari's config had taints from 2025.4.1.
    config: config(`["dedicated=worker:NoSchedule"]`),
    efsHistory: undefined,
    kept: [...GROUPS.map((g) => `aws/eks_node_group/${g} ami_type`), "aws/iam_policy/worker_autoscaling policy", ...NEWER],
  },
  {
    release: "2023.10.1",
    stack: "aws-stage02-2023.10",
    config: config("[]"),
    efsHistory: expect.stringContaining("without [0]"),
    kept: [
      ...GROUPS.flatMap((g) => ["ami_type", "labels", "tags"].map((f) => `aws/eks_node_group/${g} ${f}`)),
      "aws/eks_addon/aws-ebs-csi-driver configuration_values",
      "aws/eks_addon/coredns *",
      "aws/security_group/main egress",
      "aws/security_group/main ingress",
      "aws/iam_policy/worker_autoscaling policy",
      ...NEWER,
    ],
  },
];

async function run(sandbox: Sandbox, project: string, task: string, flags: TaskContext["flags"]) {
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

for (const layout of LAYOUTS) {
  test(`Nebari ${layout.release}'s layout: import keeps what exists, the first deploy changes nothing`, async () => {
    const sandbox = await startSandbox({ delays: FAST });
    const tf = terraformWorkspace(sandbox.awsEndpoint, join(import.meta.dir, "../../fixtures/terraform", layout.stack));
    try {
      for (const args of [["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]]) {
        const r = await tf.run(args);
        if (r.code !== 0) throw new Error(`terraform ${args[0]} failed:\n${r.output.slice(-3000)}`);
      }
      await nebariPostDeploy(sandbox, "nic-dev");
      const project = tempDir(`nic-import-${layout.release}-`);
      writeFileSync(join(project, "nebari-config.yaml"), layout.config);
      await check(sandbox, project, tf.dir, layout.kept, layout.efsHistory);
    } finally {
      tf.remove();
      await sandbox.stop();
    }
  }, 6 * MINUTES);
}

async function check(sandbox: Sandbox, project: string, tfDir: string, expectedKept: string[], efsHistory: unknown) {
  const nic = (task: string, flags: TaskContext["flags"]) => run(sandbox, project, task, flags);
  const loaded = loadConfig(join(project, "nebari-config.yaml"), { env: {} });
  const stage03 = await terraformStage03({ config: loaded.config, clusterName: "nic-dev", env: sandbox.env, dir: project });
  const states = { "from-terraform": true, "terraform-state-02": join(tfDir, "terraform.tfstate"), "terraform-state-03": stage03.tfstate };

  const check = (await nic("import", { ...states, "validate-only": true })).document as any;
  expect({ missing: check.cloud.missing, conflicts: check.cloud.conflicts }).toEqual({ missing: [], conflicts: [] });
  expect(check.cloud.found.find((f: any) => f.address === "aws/efs_file_system/main").history).toEqual(efsHistory);
  // The autoscaling policy on the node role is older Nebari's, left as it is.
  expect(check.cloud.unmanaged.map((u: any) => u.terraform)).toEqual(["module.kubernetes.aws_iam_role_policy_attachment.node-group-policy[3]"]);
  const kept = (phase: any) => phase.kept_from_import.map((k: any) => `${k.address} ${k.field}`).sort();
  expect(kept(check.cloud)).toEqual([...expectedKept].sort());
  expect(kept(check.kubernetes)).toEqual(["k8s/deployment/dev/cluster-autoscaler-aws-cluster-autoscaler spec", "k8s/serviceaccount/dev/cluster-autoscaler metadata"].sort());
  expect({ ready: check.ready, blockers: check.blockers }).toEqual({ ready: true, blockers: [] });

  const imported = (await nic("import", states)).document as any;
  const state = JSON.parse(readFileSync(imported.written.state, "utf8"));
  const total = expectedKept.length + 2;
  expect(state.metadata.kept_from_import.length).toBe(total);
  expect(Object.keys(state.resources).filter((a) => a.includes("ebs_csi_driver") || a.includes("iam_role/cluster_autoscaler"))).toEqual([]);

  const dryRun = await nic("deploy", { "dry-run": true, "detailed-exitcode": true, parallelism: "8" });
  const doc = dryRun.document as any;
  expect([...changesIn(doc.phases.cloud), ...changesIn(doc.phases.kubernetes)]).toEqual([]);
  expect(dryRun.exitCode ?? 0).toBe(0);
  expect(doc.phases.cloud.plan.resources.find((e: any) => e.address === "aws/iam_policy/worker_autoscaling").note).toBe("kept from import: policy (an older Nebari's value)");

  await fetch(`${sandbox.controlEndpoint}/calls`, { method: "DELETE" });
  const deploy = await nic("deploy", { parallelism: "8", yes: true });
  expect(deploy.exitCode ?? 0).toBe(0);
  const calls = ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: { service: string; action: string }[] }).calls;
  expect(calls.filter((c) => !/^(Describe|Get|List)/.test(c.action)).map((c) => `${c.service}:${c.action}`)).toEqual([]);
  // Chart 9.19.0's image is still what runs.
  const image = JSON.parse((await stage03.kubectl("get", "deployment", "-n", "dev", "cluster-autoscaler-aws-cluster-autoscaler", "-o", "json")).stdout).spec.template.spec.containers[0].image;
  expect(image).toBe("k8s.gcr.io/autoscaling/cluster-autoscaler:v1.23.0");

  const drift = (await nic("drift-detect", { "detailed-exitcode": true })).document as any;
  expect({ has_drift: drift.has_drift, config: drift.configuration.differs }).toEqual({ has_drift: false, config: false });
  const status = (await nic("status", {})).document as any;
  expect(status.healthy).toBe(true);
  expect(status.issues.find((i: any) => i.code === "kept_from_import")?.message).toStartWith(`${total} value(s) an older Nebari made are kept from the import`);
}
