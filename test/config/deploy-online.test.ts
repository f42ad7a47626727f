// `nic deploy` asks the cloud before its first change (src/providers/online.ts checkBeforeChange): the compiled binary
// against the sandbox, whose EKS lists the versions AWS's calendar offers today.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import { SUPPORT_WINDOWS } from "../../src/config/catalog/support-windows.ts";
import type { Plan } from "../../src/engine/plan.ts";
import { awsProvider } from "../../src/providers/adapters/aws.ts";
import { checkBeforeChange } from "../../src/providers/online.ts";
import { newState } from "../../src/state/format.ts";
import { nicAsync } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

/** The newest EKS minor past extended support today, and one in support. */
const today = new Date().toISOString().slice(0, 10);
const minors = Object.entries(SUPPORT_WINDOWS.aws);
const past = `1.${minors.filter(([, w]) => w.extended! < today).at(-1)![0]}`;
const supported = `1.${minors.filter(([, w]) => w.extended! >= today).at(-1)![0]}`;

const config = (version: string, instance = "m5.xlarge") =>
  `project_name: demo\nprovider: aws\nterraform_state: {type: local}\namazon_web_services:\n  region: us-west-2\n  kubernetes_version: '${version}'\n  node_groups:\n    general: {instance: ${instance}, min_nodes: 1, max_nodes: 1}\n`;

let box: Sandbox;
beforeAll(async () => void (box = await startSandbox()));
afterAll(async () => box?.stop());

test(`a new deployment of Kubernetes ${past} (past EKS extended support) is refused before any change`, async () => {
  const dir = tempDir("nic-online-deploy-");
  const file = join(dir, "nebari-config.yaml");
  writeFileSync(file, config(past, "m5.huge"));
  const before = ((await (await fetch(`${box.controlEndpoint}/calls`)).json()) as { calls: { action: string }[] }).calls.length;
  const run = await nicAsync(["deploy", "-f", file, "--format", "json", "--yes"], { ...box.env, HOME: dir }, dir);
  expect(run.code, run.stderr).not.toBe(0);
  const doc = JSON.parse(run.stdout || run.stderr);
  const error = doc.error ?? doc;
  expect(error.code).toBe("CONFIG_INVALID");
  expect(error.details.deployment).toBe("new");
  const errors = error.details.errors as { path: string; message: string; line: number; hint?: string }[];
  expect(errors.map((e) => e.path)).toEqual(["amazon_web_services.node_groups.general.instance", "amazon_web_services.kubernetes_version"]);
  expect(errors[1]).toMatchObject({ message: `EKS does not offer Kubernetes ${past} today`, line: 6 });
  expect(errors[1]!.hint).toContain(supported);
  const { calls } = (await (await fetch(`${box.controlEndpoint}/calls`)).json()) as { calls: { action: string }[] };
  expect(calls.slice(before).map((c) => c.action).filter((a) => !/^(Describe|List|Get|Head)/.test(a))).toEqual([]);
}, 60_000);

test("for a cluster the state already tracks, the same version is a warning and the change goes ahead", async () => {
  const file = join(tempDir("nic-online-existing-"), "nebari-config.yaml");
  writeFileSync(file, config(past));
  const loaded = loadConfig(file, { env: {} });
  const state = newState({ provider: "aws", projectName: "demo", region: "us-west-2" });
  for (const address of awsProvider.clusterLinks!(loaded.config).api) state.resources[address] = { provider_id: "demo-dev" } as never;
  const plan = { entries: [{ address: "aws/eks_node_group/general", kind: "eks_node_group", action: "update", changes: [], dependsOn: [] }], errors: [], summary: { add: 0, change: 1, replace: 0, destroy: 0 } } as Plan;
  const warnings: string[] = [];
  const log = { warn: (text: string) => warnings.push(text), info() {}, debug() {}, error() {} } as never;
  await checkBeforeChange(loaded, awsProvider, plan, state, { env: box.env, log, signal: new AbortController().signal });
  expect(warnings).toEqual([expect.stringContaining(`amazon_web_services.kubernetes_version (line 6:3): EKS no longer offers Kubernetes ${past}`)]);
});

test("an existing deployment whose plan changes nothing in the cloud asks nothing", async () => {
  const file = join(tempDir("nic-online-noop-"), "nebari-config.yaml");
  writeFileSync(file, config(past, "m5.huge"));
  const before = ((await (await fetch(`${box.controlEndpoint}/calls`)).json()) as { calls: unknown[] }).calls.length;
  const plan = { entries: [{ address: "aws/eks_cluster/main", kind: "eks_cluster", action: "no-op", changes: [], dependsOn: [] }], errors: [], summary: { add: 0, change: 0, replace: 0, destroy: 0 } } as Plan;
  const loaded = loadConfig(file, { env: {} });
  const state = newState({ provider: "aws", projectName: "demo", region: "us-west-2" });
  for (const address of awsProvider.clusterLinks!(loaded.config).api) state.resources[address] = { provider_id: "demo-dev" } as never;
  await checkBeforeChange(loaded, awsProvider, plan, state, { env: box.env, log: {} as never, signal: new AbortController().signal });
  expect(((await (await fetch(`${box.controlEndpoint}/calls`)).json()) as { calls: unknown[] }).calls.length).toBe(before);
});

test("credentials not allowed to read a catalogue: a warning, and the deploy goes on", async () => {
  const file = join(tempDir("nic-online-denied-"), "nebari-config.yaml");
  writeFileSync(file, config(supported));
  await fetch(`${box.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify({ service: "ec2", action: "DescribeInstanceTypeOfferings", kind: "error", code: "UnauthorizedOperation", status: 403 }) });
  try {
    const plan = { entries: [{ address: "aws/vpc/main", kind: "vpc", action: "create", changes: [], dependsOn: [] }], errors: [], summary: { add: 1, change: 0, replace: 0, destroy: 0 } } as Plan;
    const warnings: string[] = [];
    const log = { warn: (text: string) => warnings.push(text), info() {}, debug() {}, error() {} } as never;
    await checkBeforeChange(loadConfig(file, { env: {} }), awsProvider, plan, undefined, { env: box.env, log, signal: new AbortController().signal });
    expect(warnings).toEqual(["The checks of what AWS offers could not run (Injected fault on ec2:DescribeInstanceTypeOfferings); deploying without them"]);
  } finally {
    await fetch(`${box.controlEndpoint}/faults`, { method: "DELETE" });
  }
});

test(`EKS's answer refused to the credentials: the published calendar still refuses ${past} for a new deployment`, async () => {
  const file = join(tempDir("nic-online-denied-past-"), "nebari-config.yaml");
  writeFileSync(file, config(past));
  await fetch(`${box.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify({ service: "eks", action: "DescribeClusterVersions", kind: "error", code: "AccessDeniedException", status: 403 }) });
  try {
    const plan = { entries: [{ address: "aws/vpc/main", kind: "vpc", action: "create", changes: [], dependsOn: [] }], errors: [], summary: { add: 1, change: 0, replace: 0, destroy: 0 } } as Plan;
    const log = { warn() {}, info() {}, debug() {}, error() {} } as never;
    const refused = await checkBeforeChange(loadConfig(file, { env: {} }), awsProvider, plan, undefined, { env: box.env, log, signal: new AbortController().signal }).catch((e) => e);
    expect(refused).toMatchObject({ code: "CONFIG_INVALID" });
    expect(refused.details.errors[0].message).toStartWith(`Kubernetes ${past}: extended support on EKS ended on`);
  } finally {
    await fetch(`${box.controlEndpoint}/faults`, { method: "DELETE" });
  }
});

