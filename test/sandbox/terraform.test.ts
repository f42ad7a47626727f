// Proof by an independent client: the real Terraform 1.11.4 with hashicorp/aws 5.100.0 applies a
// Nebari-shaped stage 02 to the sandbox, sees no drift, updates tags in place and destroys everything.
// Missing terraform or provider mirror fails this test loudly (never a skip).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { terraformWorkspace, type TerraformWorkspace } from "../../sandbox/scripts/terraform.ts";

const FAST = { eksClusterCreate: 200, eksClusterDelete: 200, eksNodegroupCreate: 100, eksNodegroupDelete: 100, eksAddonCreate: 50, eksAddonDelete: 50, efsCreate: 50, efsDelete: 50, eniLinger: 500 };
// Generous: these only catch a hung run. On a loaded 2-core machine a full round trip took 10 minutes.
const MINUTES = 60_000;
const TAGS = ["-var", 'tags={"Team":"data"}'];

let sandbox: Sandbox;
let tf: TerraformWorkspace;

beforeAll(async () => {
  sandbox = await startSandbox({ delays: FAST });
  tf = terraformWorkspace(sandbox.awsEndpoint);
});

afterAll(async () => {
  tf?.remove();
  await sandbox?.stop();
});

async function terraform(...args: string[]) {
  const result = await tf.run([...args, "-no-color"]);
  return { ...result, fail: `terraform ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-6000)}` };
}

async function inventory(): Promise<{ type: string; id: string; name?: string; tags: Record<string, string> }[]> {
  return ((await (await fetch(`${sandbox.controlEndpoint}/inventory`)).json()) as any).resources;
}

test("terraform init installs hashicorp/aws 5.100.0 offline from the mirror", async () => {
  const r = await terraform("init");
  if (r.code !== 0) throw new Error(r.fail);
  expect(r.output).toContain("Installed hashicorp/aws v5.100.0");
}, 5 * MINUTES);

test("terraform apply creates the stage-02 stack", async () => {
  const r = await terraform("apply", "-auto-approve");
  if (r.code !== 0) throw new Error(r.fail);
  expect(r.output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
  const types = new Set((await inventory()).map((x) => x.type));
  for (const t of ["ec2:vpc", "ec2:subnet", "ec2:security-group", "eks:cluster", "eks:nodegroup", "eks:addon", "efs:file-system", "efs:mount-target", "ecr:repository", "resource-groups:group", "iam:oidc-provider", "autoscaling:group"])
    expect(types).toContain(t);
  const asgs = (await inventory()).filter((x) => x.type === "autoscaling:group");
  expect(asgs.map((a) => a.tags["eks:nodegroup-name"]).sort()).toEqual(["general", "user", "worker"]);
}, 10 * MINUTES);

/**
 * No resource would change. Nebari's `kubernetes_credentials` output carries a fresh EKS token on every plan, so a
 * plan of Nebari's stack always shows that output changing (exit 2), as it does against AWS.
 */
function expectNoResourceChanges(r: { code: number; output: string; fail: string }) {
  if (r.code !== 0 && r.code !== 2) throw new Error(r.fail);
  expect(r.output).not.toMatch(/^Plan: /m);
  if (r.code === 2) expect(r.output.match(/^ {2}[~+-] (\S+)/gm)?.map((l) => l.trim())).toEqual(["~ kubernetes_credentials"]);
}

test("terraform plan right after apply reports no resource changes", async () => {
  expectNoResourceChanges(await terraform("plan", "-detailed-exitcode"));
}, 6 * MINUTES);

test("a tag change is applied in place and then shows no drift", async () => {
  const apply = await terraform("apply", "-auto-approve", ...TAGS);
  if (apply.code !== 0) throw new Error(apply.fail);
  expect(apply.output).toMatch(/Apply complete! Resources: 0 added, [1-9]\d* changed, 0 destroyed/);
  const vpc = (await inventory()).find((x) => x.type === "ec2:vpc");
  expect(vpc?.tags.Team).toBe("data");
  expectNoResourceChanges(await terraform("plan", "-detailed-exitcode", ...TAGS));
}, 12 * MINUTES);

test("terraform destroy leaves the sandbox inventory empty", async () => {
  const r = await terraform("destroy", "-auto-approve", ...TAGS);
  if (r.code !== 0) throw new Error(r.fail);
  expect(r.output).toContain("Destroy complete!");
  expect(await inventory()).toEqual([]);
}, 10 * MINUTES);
