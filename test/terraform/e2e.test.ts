// The proof of issue 7 on the sandbox: the real Terraform (1.11.4, hashicorp/aws 5.100.0) applies Nebari's stage 02,
// `nic import --from-terraform` adopts its state, and `nic deploy --dry-run --detailed-exitcode` then plans nothing.
// With stage 03 too (as Terraform and Helm leave it, see stage03-terraform.ts), a real `nic deploy` after the import changes nothing.
// Missing terraform or provider mirror fails this test loudly (never a skip).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { terraformWorkspace, type TerraformWorkspace } from "../../sandbox/scripts/terraform.ts";
import { createLogger } from "../../src/cli/log.ts";
import type { TaskContext, TaskModule } from "../../src/cli/task.ts";
import { loadConfig } from "../../src/config/load.ts";
import { NEBARI_OUTPUTS } from "../../src/terraform/import.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { terraformStage03 } from "./stage03-terraform.ts";

const FAST = { eksClusterCreate: 200, eksClusterDelete: 200, eksNodegroupCreate: 100, eksNodegroupDelete: 100, eksAddonCreate: 50, eksAddonDelete: 50, efsCreate: 50, efsDelete: 50, eniLinger: 500 };
const MINUTES = 60_000;
// The stack's variables (name nic, environment dev, Kubernetes 1.31) and node groups, as a Nebari config.
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
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: FAST });
  tf = terraformWorkspace(sandbox.awsEndpoint);
  for (const args of [["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]]) {
    const run = await tf.run(args);
    if (run.code !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.output.slice(-3000)}`);
  }
  await nebariPostDeploy();
  dir = tempDir("nic-import-e2e-");
  writeFileSync(join(dir, "nebari-config.yaml"), CONFIG);
}, 5 * MINUTES);

afterAll(async () => {
  tf?.remove();
  await sandbox?.stop();
});

/** What Nebari's stage 02 does after Terraform (set_asg_tags, boto3): label every node group's Auto Scaling groups. */
async function nebariPostDeploy() {
  const { EKSClient, DescribeNodegroupCommand } = await import("@aws-sdk/client-eks");
  const { AutoScalingClient, CreateOrUpdateTagsCommand } = await import("@aws-sdk/client-auto-scaling");
  const config = { region: "us-west-2", endpoint: sandbox.awsEndpoint, credentials: { accessKeyId: sandbox.env.AWS_ACCESS_KEY_ID!, secretAccessKey: sandbox.env.AWS_SECRET_ACCESS_KEY! } };
  const eks = new EKSClient(config);
  const asg = new AutoScalingClient(config);
  for (const group of ["general", "user", "worker"]) {
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: "nic-dev", nodegroupName: group }));
    for (const a of nodegroup?.resources?.autoScalingGroups ?? []) {
      const tag = { ResourceId: a.name!, ResourceType: "auto-scaling-group", Key: "k8s.io/cluster-autoscaler/node-template/label/dedicated", Value: group, PropagateAtLaunch: true };
      await asg.send(new CreateOrUpdateTagsCommand({ Tags: [tag] }));
    }
  }
}

async function run(task: string, flags: TaskContext["flags"], project = dir) {
  const mod = (await import(`../../tasks/${task}.ts`)) as TaskModule;
  const lines: string[] = [];
  const ctx: TaskContext = {
    flags: { config: join(project, "nebari-config.yaml"), state: join(project, "nic-state.json"), "lock-timeout": "0s", ...flags },
    positionals: [],
    format: "json",
    log: createLogger({ format: "json", level: "warn", write: (l) => void lines.push(l), isTTY: false, color: false }),
    env: { ...sandbox.env, PATH: process.env.PATH },
    cwd: project,
  };
  return { ...(await mod.run(ctx)), log: lines };
}

test("nic import adopts the state Terraform wrote; no drift after it, and the next deploy plans no cloud change", async () => {
  const tfstate = join(tf.dir, "terraform.tfstate");
  const before = readFileSync(tfstate, "utf8");

  const check = await run("import", { "from-terraform": true, "terraform-state-02": tfstate, "validate-only": true });
  const report = check.document as any;
  expect(report.cloud.missing).toEqual([]);
  expect(report.cloud.found.length).toBeGreaterThan(25);
  const predicted = report.cloud.changes.map((c: any) => `${c.action} ${c.address}: ${c.fields.map((f: any) => f.path).join(", ")}`);

  const result = await run("import", { "from-terraform": true, "terraform-state-02": tfstate });
  const written = (result.document as any).written;
  const state = JSON.parse(readFileSync(written.state, "utf8"));
  // Everything but the Auto Scaling group tags Nebari sets outside Terraform came from the Terraform state.
  expect(Object.entries(state.resources).filter(([, r]: any) => !r.imported_from_terraform).map(([a]) => a).sort()).toEqual(["aws/autoscaling_group_tags/general", "aws/autoscaling_group_tags/user", "aws/autoscaling_group_tags/worker"]);
  expect(state.resources["aws/eks_cluster/main"].provider_id).toBe("nic-dev");
  expect(state.metadata.configuration_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  const outputs = JSON.parse(readFileSync(written.outputs, "utf8"));
  const terraformOutputs = JSON.parse(before).outputs;
  const nebari = Object.keys(terraformOutputs).filter((name) => NEBARI_OUTPUTS.includes(name));
  expect(nebari.length).toBeGreaterThan(2);
  for (const name of nebari) expect(outputs[name]).toEqual({ value: terraformOutputs[name].value });
  expect(readFileSync(tfstate, "utf8")).toBe(before);

  const dryRun = await run("deploy", { "dry-run": true, "detailed-exitcode": true, parallelism: "8" });
  const phases = (dryRun.document as any).phases;
  const changes = (phase: any) => phase.plan.resources.filter((r: any) => r.action !== "no-op").map((r: any) => `${r.action} ${r.address}`);
  // The validation report predicts exactly what the deploy plans.
  expect(changes(phases.cloud)).toEqual(predicted.map((p: string) => p.split(":")[0]));
  // This stack has no stage 03 (the mirror has no kubernetes/helm providers): its objects are the only planned changes, all creates.
  expect(changes(phases.kubernetes).every((c: string) => c.startsWith("create k8s/"))).toBe(true);
  expect(report.kubernetes.not_in_terraform.length).toBe(changes(phases.kubernetes).length);
  // What import recorded is what NIC reads: no drift right after it.
  const drift = await run("drift-detect", { "detailed-exitcode": true });
  const drifted = (phase: Record<string, Record<string, any>>) =>
    Object.entries(phase).flatMap(([group, entries]) => Object.entries(entries).filter(([, e]) => e.drift).map(([name, e]) => `${e.status} ${group}/${name}: ${(e.differences ?? []).map((d: any) => d.path ?? d.field).join(", ")}`));
  const doc = drift.document as any;
  expect([...drifted(doc.cloud), ...drifted(doc.kubernetes)]).toEqual([]);
  expect({ has_drift: doc.has_drift, exit: drift.exitCode ?? 0 }).toEqual({ has_drift: false, exit: 0 });
  // The goal: nothing to change in the cloud after an import.
  expect(predicted).toEqual([]);
}, 5 * MINUTES);

const changesIn = (phase: any) => phase.plan.resources.filter((r: any) => r.action !== "no-op").map((r: any) => `${r.action} ${r.address}`);

test("with stage 03 (namespace, autoscaler chart, Traefik CRDs), import and then a real deploy change nothing, in the cloud or the cluster", async () => {
  const project = tempDir("nic-import-e2e-03-");
  writeFileSync(join(project, "nebari-config.yaml"), CONFIG);
  const loaded = loadConfig(join(project, "nebari-config.yaml"), { env: {} });
  const outputs = JSON.parse(readFileSync(join(tf.dir, "terraform.tfstate"), "utf8")).outputs;
  const stage03 = await terraformStage03({ config: loaded.config, clusterName: "nic-dev", roleArn: outputs.cluster_autoscaler_role_arn.value, env: sandbox.env, dir: project });
  // As a user would: the compiled binary, in the project folder, with the sandbox's AWS environment.
  const nicRun = async (...args: string[]) => {
    const r = await nicAsync([...args, "-f", "nebari-config.yaml", "--format", "json", ...(args[0] === "import" ? [] : ["--state", "nic-state.json"])], sandbox.env, project);
    if (!r.stdout.startsWith("{")) throw new Error(`nic ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return { code: r.code, document: JSON.parse(r.stdout) };
  };
  const states = ["--from-terraform", "--terraform-state-02", join(tf.dir, "terraform.tfstate"), "--terraform-state-03", stage03.tfstate];

  const check = (await nicRun("import", ...states, "--validate-only")).document;
  expect(check.kubernetes.found.length).toBe(18); // namespace, 8 chart objects, 9 CRDs
  expect({ missing: check.kubernetes.missing, not_in_terraform: check.kubernetes.not_in_terraform, changes: check.kubernetes.changes }).toEqual({ missing: [], not_in_terraform: [], changes: [] });

  // Without --state the state goes where Nebari keeps its own (stage 01's S3 bucket and DynamoDB table); the sandbox
  // serves no DynamoDB, so the import stops before writing anything, with a structured error that says what to check.
  const files = () => [...new Bun.Glob("**").scanSync({ cwd: project, dot: true })].sort();
  const before = files();
  const remote = await nicRun("import", ...states);
  expect(remote.document.error).toMatchObject({ code: "STATE_BACKEND_ERROR", recovery_suggestions: expect.arrayContaining([expect.stringContaining("AWS_ENDPOINT_URL_DYNAMODB")]) });
  expect(files()).toEqual(before);

  const imported = (await nicRun("import", ...states, "--state", "nic-state.json")).document;
  expect(imported).toMatchObject({ success: true });
  const state = JSON.parse(readFileSync(imported.written.state, "utf8"));
  const k8s = Object.entries(state.resources).filter(([a]) => a.startsWith("k8s/"));
  expect(k8s.length).toBe(18);
  expect(k8s.every(([, r]: any) => r.imported_from_terraform)).toBe(true);

  const dryRun = await nicRun("deploy", "--dry-run", "--detailed-exitcode");
  expect([...changesIn(dryRun.document.phases.cloud), ...changesIn(dryRun.document.phases.kubernetes)]).toEqual([]);
  expect(dryRun.code).toBe(0);
  const drift = await nicRun("drift", "detect", "--detailed-exitcode");
  expect({ has_drift: drift.document.has_drift, exit: drift.code }).toEqual({ has_drift: false, exit: 0 });

  const deploy = await nicRun("deploy");
  expect(deploy.code).toBe(0);
  expect([...changesIn(deploy.document.phases.cloud), ...changesIn(deploy.document.phases.kubernetes)]).toEqual([]);

  // What Terraform and Helm left is still there, as they left it: Helm's marks, Helm's release record, Nebari's CRD schema.
  const get = async (...args: string[]) => JSON.parse((await stage03.kubectl("get", ...args, "-o", "json")).stdout);
  const deployment = await get("deployment", "-n", "dev", "cluster-autoscaler-aws-cluster-autoscaler");
  expect(deployment.metadata.labels["app.kubernetes.io/managed-by"]).toBe("Helm");
  expect(deployment.metadata.annotations["nic.nebari.dev/replicates"]).toBeUndefined();
  expect((await get("secret", "-n", "dev", "sh.helm.release.v1.cluster-autoscaler.v1")).type).toBe("helm.sh/release.v1");
  const crd = await get("crd", "ingressroutes.traefik.containo.us");
  expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.routes.items.required).toEqual(["match"]);
  expect((await get("namespace", "dev")).metadata.labels?.["app.kubernetes.io/managed-by"]).toBeUndefined();
}, 5 * MINUTES);
