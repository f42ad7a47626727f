// The proof of issues 7 and 13 on the sandbox: the real Terraform (1.11.4, hashicorp/aws 5.100.0) applies Nebari's stage 02
// as upstream writes it (fixtures/terraform/aws-stage02, with Nebari's post-deploy ASG tags applied as Nebari does),
// `nic import --from-terraform` adopts its state, and `nic deploy --dry-run --detailed-exitcode` then plans nothing.
// With stage 03 too (as Terraform and Helm leave it, see stage03-terraform.ts), a real `nic deploy` after the import changes nothing.
// Missing terraform or provider mirror fails this test loudly (never a skip).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { terraformWorkspace, type TerraformWorkspace } from "../../sandbox/scripts/terraform.ts";
import { createLogger } from "../../src/cli/log.ts";
import type { TaskContext, TaskModule } from "../../src/cli/task.ts";
import { loadConfig } from "../../src/config/load.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { nebariPostDeploy } from "./post-deploy.ts";
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
  await nebariPostDeploy(sandbox, "nic-dev");
  dir = tempDir("nic-import-e2e-");
  writeFileSync(join(dir, "nebari-config.yaml"), CONFIG);
}, 5 * MINUTES);

afterAll(async () => {
  tf?.remove();
  await sandbox?.stop();
});

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

test("without stage 03, import verifies the cloud by identity, refuses to write (the next deploy would create stage 03), and --force records why", async () => {
  const tfstate = join(tf.dir, "terraform.tfstate");
  const before = readFileSync(tfstate, "utf8");

  const check = await run("import", { "from-terraform": true, "terraform-state-02": tfstate, "validate-only": true });
  const report = check.document as any;
  expect({ missing: report.cloud.missing, conflicts: report.cloud.conflicts, changes: report.cloud.changes }).toEqual({ missing: [], conflicts: [], changes: [] });
  expect(report.cloud.found.length).toBeGreaterThan(25);
  // This stack has no stage 03: its objects are the only blockers, all creates.
  expect(report.blockers.length).toBeGreaterThan(0);
  expect(report.blockers.every((b: any) => b.kind === "change" && b.address.startsWith("k8s/") && b.text.startsWith("the next deploy would create"))).toBe(true);

  const refused = await run("import", { "from-terraform": true, "terraform-state-02": tfstate }).catch((e) => e);
  expect(refused).toMatchObject({ code: "IMPORT_NOT_READY" });
  expect(refused.details.blockers).toEqual(report.blockers);
  expect(existsSync(join(dir, "nic-state.json"))).toBe(false);

  const result = await run("import", { "from-terraform": true, "terraform-state-02": tfstate, force: true });
  const written = (result.document as any).written;
  const state = JSON.parse(readFileSync(written.state, "utf8"));
  expect(state.metadata.import_blockers).toEqual(report.blockers);
  // Everything but the Auto Scaling group tags Nebari sets outside Terraform came from the Terraform state.
  expect(Object.entries(state.resources).filter(([, r]: any) => !r.imported_from_terraform).map(([a]) => a).sort()).toEqual(["aws/autoscaling_group_tags/general", "aws/autoscaling_group_tags/user", "aws/autoscaling_group_tags/worker"]);
  expect(state.resources["aws/eks_cluster/main"].provider_id).toBe("nic-dev");
  expect(state.metadata.configuration_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  // outputs.json is NIC's, built from what was verified: its own kubeconfig, a fresh token, the same facts as Terraform's.
  const outputs = JSON.parse(readFileSync(written.outputs, "utf8"));
  const terraformOutputs = JSON.parse(before).outputs;
  expect(outputs.kubeconfig_filename).toEqual({ value: written.kubeconfig });
  expect(readFileSync(written.kubeconfig, "utf8")).toContain(terraformOutputs.kubernetes_credentials.value.host);
  expect(outputs.kubernetes_credentials.value.host).toBe(terraformOutputs.kubernetes_credentials.value.host);
  expect(outputs.kubernetes_credentials.value.token).toMatch(/^k8s-aws-v1\./);
  for (const name of ["nfs_endpoint", "cluster_oidc_issuer_url", "oidc_provider_arn", "cluster_autoscaler_role_arn"]) expect(outputs[name]).toEqual({ value: terraformOutputs[name].value });
  expect(readFileSync(tfstate, "utf8")).toBe(before);

  const dryRun = await run("deploy", { "dry-run": true, "detailed-exitcode": true, parallelism: "8" });
  const phases = (dryRun.document as any).phases;
  const changes = (phase: any) => phase.plan.resources.filter((r: any) => r.action !== "no-op").map((r: any) => `${r.action} ${r.address}`);
  expect(changes(phases.cloud)).toEqual([]);
  expect(changes(phases.kubernetes)).toEqual(report.blockers.map((b: any) => `create ${b.address}`));
  // What import recorded is what NIC reads: no drift right after it.
  const drift = await run("drift-detect", { "detailed-exitcode": true });
  const drifted = (phase: Record<string, Record<string, any>>) =>
    Object.entries(phase).flatMap(([group, entries]) => Object.entries(entries).filter(([, e]) => e.drift).map(([name, e]) => `${e.status} ${group}/${name}: ${(e.differences ?? []).map((d: any) => d.path ?? d.field).join(", ")}`));
  const doc = drift.document as any;
  expect([...drifted(doc.cloud), ...drifted(doc.kubernetes)]).toEqual([]);
  expect({ has_drift: doc.has_drift, exit: drift.exitCode ?? 0 }).toEqual({ has_drift: false, exit: 0 });
}, 5 * MINUTES);

/** Stage 03 as Terraform and Helm leave it, made once per sandbox (its objects then stay in the cluster). */
let stage03Made: ReturnType<typeof terraformStage03> | undefined;
function stage03Once(project: string) {
  const loaded = loadConfig(join(project, "nebari-config.yaml"), { env: {} });
  const outputs = JSON.parse(readFileSync(join(tf.dir, "terraform.tfstate"), "utf8")).outputs;
  stage03Made ??= terraformStage03({ config: loaded.config, clusterName: "nic-dev", roleArn: outputs.cluster_autoscaler_role_arn.value, env: sandbox.env, dir: project });
  return stage03Made;
}

const changesIn = (phase: any) => phase.plan.resources.filter((r: any) => r.action !== "no-op").map((r: any) => `${r.action} ${r.address}`);

test("with stage 03 (namespace, autoscaler chart, Traefik CRDs), import and then a real deploy change nothing, in the cloud or the cluster", async () => {
  const project = tempDir("nic-import-e2e-03-");
  writeFileSync(join(project, "nebari-config.yaml"), CONFIG);
  const stage03 = await stage03Once(project);
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

  // The real deploy sends the cloud nothing but reads (the sandbox's call log).
  await fetch(`${sandbox.controlEndpoint}/calls`, { method: "DELETE" });
  const deploy = await nicRun("deploy");
  expect(deploy.code).toBe(0);
  const calls = ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: { service: string; action: string }[] }).calls;
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((c) => !/^(Describe|Get|List)/.test(c.action)).map((c) => `${c.service}:${c.action}`)).toEqual([]);
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

test("a Terraform state whose IDs are gone while another deployment with the same names exists: import refuses, names both IDs, writes nothing", async () => {
  // The live deployment is the look-alike: a copy of its Terraform state with every generated ID changed to one that no
  // longer exists (as after a destroy and a re-create by someone else) is what a stale state looks like.
  const live = readFileSync(join(tf.dir, "terraform.tfstate"), "utf8");
  const generated = JSON.parse(live).resources
    .filter((r: any) => ["aws_vpc", "aws_subnet", "aws_security_group", "aws_internet_gateway", "aws_route_table", "aws_efs_file_system", "aws_efs_mount_target", "aws_iam_policy"].includes(r.type))
    .flatMap((r: any) => r.instances.map((i: any) => String(i.attributes.id)));
  const gone = (id: string) => `${id.slice(0, -4)}dead`;
  const stale = join(tempDir("nic-stale-"), "terraform.tfstate");
  writeFileSync(stale, generated.reduce((text: string, id: string) => text.replaceAll(id, gone(id)), live));
  const recorded = (type: string) => gone(JSON.parse(live).resources.find((r: any) => r.type === type).instances[0].attributes.id);
  const found = (type: string) => JSON.parse(live).resources.find((r: any) => r.type === type).instances[0].attributes.id;
  const project = tempDir("nic-import-lookalike-");
  writeFileSync(join(project, "nebari-config.yaml"), CONFIG);

  const check = (await run("import", { "from-terraform": true, "terraform-state-02": stale, "validate-only": true }, project)).document as any;
  expect(check.ready).toBe(false);
  const conflict = (address: string) => check.cloud.conflicts.find((c: any) => c.address === address);
  for (const [address, type] of [["aws/vpc/main", "aws_vpc"], ["aws/security_group/main", "aws_security_group"], ["aws/efs_file_system/main", "aws_efs_file_system"], ["aws/iam_policy/worker_autoscaling", "aws_iam_policy"]])
    expect(conflict(address!)).toMatchObject({ terraform_id: recorded(type!), found_id: found(type!), adopted: false });
  expect(check.cloud.found.map((f: any) => f.id)).not.toContain(found("aws_vpc"));
  expect(check.blockers.filter((b: any) => b.kind === "conflict").length).toBe(check.cloud.conflicts.length);

  const refused = await run("import", { "from-terraform": true, "terraform-state-02": stale }, project).catch((e) => e);
  expect(refused).toMatchObject({ code: "IMPORT_NOT_READY" });
  expect(refused.message).toContain(`${recorded("aws_vpc")}, but ${found("aws_vpc")} was found`);
  expect([...new Bun.Glob("**").scanSync({ cwd: project, dot: true })]).toEqual(["nebari-config.yaml"]);
}, 5 * MINUTES);

test("an older layout (Amazon Linux 2 node groups): import keeps AL2 as it is, the dry run plans nothing, a deploy sends no mutating call", async () => {
  const r = await tf.run(["apply", "-auto-approve", "-input=false", "-no-color", "-var-file=al2.tfvars.json"]);
  if (r.code !== 0) throw new Error(`terraform apply (AL2) failed:\n${r.output.slice(-3000)}`);
  await nebariPostDeploy(sandbox, "nic-dev");
  const project = tempDir("nic-import-al2-");
  writeFileSync(join(project, "nebari-config.yaml"), CONFIG);
  const stage03 = await stage03Once(project);
  const states = { "from-terraform": true, "terraform-state-02": join(tf.dir, "terraform.tfstate"), "terraform-state-03": stage03.tfstate };
  const groups = ["general", "user", "worker"];
  const kept = groups.map((g) => ({ address: `aws/eks_node_group/${g}`, field: "ami_type", value: "AL2_x86_64", instead_of: "AL2023_x86_64_STANDARD" }));

  const check = (await run("import", { ...states, "validate-only": true }, project)).document as any;
  expect(check.cloud.found.filter((f: any) => f.address.startsWith("aws/eks_node_group/")).map((g: any) => g.history)).toEqual(Array(3).fill(expect.stringContaining("ami_type AL2_x86_64 (Amazon Linux 2")));
  expect(check.cloud.kept_from_import).toEqual(kept);
  expect({ ready: check.ready, blockers: check.blockers }).toEqual({ ready: true, blockers: [] });

  const imported = (await run("import", states, project)).document as any;
  const state = JSON.parse(readFileSync(imported.written.state, "utf8"));
  expect(state.metadata.kept_from_import).toEqual(kept);
  expect(state.metadata.import_blockers).toBeUndefined();

  // The plan says where a value is kept from the import, and changes nothing.
  const dryRun = await run("deploy", { "dry-run": true, "detailed-exitcode": true, parallelism: "8" }, project);
  const doc = dryRun.document as any;
  expect([...changesIn(doc.phases.cloud), ...changesIn(doc.phases.kubernetes)]).toEqual([]);
  expect(dryRun.exitCode ?? 0).toBe(0);
  for (const g of groups) expect(doc.phases.cloud.plan.resources.find((e: any) => e.address === `aws/eks_node_group/${g}`).note).toBe('kept from import: ami_type "AL2_x86_64" (NIC\'s default: "AL2023_x86_64_STANDARD")');

  await fetch(`${sandbox.controlEndpoint}/calls`, { method: "DELETE" });
  const deploy = await run("deploy", { parallelism: "8", yes: true }, project);
  expect(deploy.exitCode ?? 0).toBe(0);
  const calls = ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: { service: string; action: string }[] }).calls;
  expect(calls.filter((c) => !/^(Describe|Get|List)/.test(c.action)).map((c) => `${c.service}:${c.action}`)).toEqual([]);
  const drift = (await run("drift-detect", { "detailed-exitcode": true }, project)).document as any;
  expect(drift.has_drift).toBe(false);
  expect(drift.configuration).toEqual({ differs: false, changed_since_last_run: false, pending: [] });

  // The configuration edited since: drift detect says the state and the configuration disagree, which is not drift.
  writeFileSync(join(project, "nebari-config.yaml"), CONFIG.replace("user: {instance: t3.large, min_nodes: 0, max_nodes: 5", "user: {instance: t3.large, min_nodes: 0, max_nodes: 7"));
  const edited = await run("drift-detect", { "detailed-exitcode": true }, project);
  expect({ has_drift: (edited.document as any).has_drift, exit: edited.exitCode ?? 0 }).toEqual({ has_drift: false, exit: 0 });
  expect((edited.document as any).configuration).toEqual({
    differs: true,
    changed_since_last_run: true,
    pending: [{ address: "aws/eks_node_group/user", action: "update", fields: ["scaling.max_size"] }],
  });
  expect(edited.text).toContain("The state and the configuration disagree (the configuration changed since the last deploy or import, not drift)");
}, 5 * MINUTES);
