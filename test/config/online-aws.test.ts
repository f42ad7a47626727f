// `nic validate --online` on AWS: through the real SDK against the sandbox's catalogues, and replayed from a recording.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { awsOnlineChecks, type OnlineProblem } from "../../src/providers/aws/online.ts";
import { replayer, type Exchange } from "../../src/providers/aws/recording.ts";
import { REPLAY_ENV } from "../providers/aws/harness.ts";
import { writeTemp } from "../helpers/files.ts";
import { scenario, SCENARIOS } from "./online-scenario.ts";

const summary = (problems: OnlineProblem[]) => problems.map((p) => `${p.severity} ${p.path.join(".")}: ${p.message}`);

describe("on the sandbox", () => {
  let box: Sandbox;
  beforeAll(async () => void (box = await startSandbox()));
  afterAll(async () => box?.stop());
  const check = (name: string) => {
    const config = scenario(name);
    return awsOnlineChecks(config, { region: config.region, env: box.env });
  };

  test("a configuration AWS can build has no errors", async () => {
    expect((await check("good")).filter((p) => p.severity === "error")).toEqual([]);
  });

  test("a region that is not enabled, and one that does not exist, say what is offered", async () => {
    const [disabled] = await check("disabled");
    expect(disabled).toMatchObject({ severity: "error", message: "af-south-1 is not enabled for this account" });
    expect(disabled!.hint).toContain("us-west-2");
    const [typo] = await check("typo");
    expect(typo!.hint).toContain("Did you mean us-west-2?");
  });

  test("zones, instance types per zone, GPUs and the Kubernetes version", async () => {
    const problems = await check("bad");
    expect(summary(problems)).toEqual([
      'error amazon_web_services.availability_zones.2: us-west-2 has no available zone "us-west-2z"',
      "error amazon_web_services.node_groups.general.instance: m5.huge is not offered in us-west-2",
      "error amazon_web_services.node_groups.user.instance: g5.xlarge is not offered in us-west-2c",
      "error amazon_web_services.node_groups.worker.gpu: is true, but m5.xlarge has no GPU",
      "warning amazon_web_services.node_groups.render.gpu: is false, but g4dn.xlarge has 1× NVIDIA T4: without gpu: true the nodes get no NVIDIA drivers",
      "error amazon_web_services.kubernetes_version: EKS does not offer Kubernetes 1.23 today",
    ]);
    expect(problems[1]!.hint).toBe("us-west-2 offers m5.2xlarge, m5.4xlarge, m5.large, m5.xlarge");
    expect(problems[2]!.hint).toContain("It is offered in us-west-2a, us-west-2b");
    expect(problems[5]!.hint).toMatch(/^EKS offers (1\.\d+, )*1\.34$/);
  });

  test("nic validate --online reports the cloud's answers with lines, as errors of the configuration", async () => {
    const file = writeTemp("nebari-config.yaml", SCENARIOS.bad!);
    // Asynchronously: the sandbox answers from this process.
    const run = Bun.spawn(["node_modules/.bin/bun", "src/main.ts", "validate", "-f", file, "--online", "--format", "json"], { env: { ...process.env, ...box.env }, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
    const doc = JSON.parse(out || err);
    expect(code).not.toBe(0);
    const errors = (doc.error?.details?.errors ?? doc.details?.errors) as { path: string; line: number; hint?: string }[];
    expect(errors.find((e) => e.path === "amazon_web_services.node_groups.general.instance")).toMatchObject({ line: 8 });
  }, 60_000);
});

describe("replayed from a recording (fixtures/recordings/aws-online-validate.json)", () => {
  const file = join(import.meta.dir, "../../fixtures/recordings/aws-online-validate.json");
  const recording = JSON.parse(readFileSync(file, "utf8")) as { scenarios: Record<string, { exchanges: Exchange[]; problems: OnlineProblem[] }> };

  for (const name of Object.keys(SCENARIOS)) {
    test(`${name}: the same requests, the same findings, no sandbox`, async () => {
      const { exchanges, problems } = recording.scenarios[name]!;
      const handler = replayer(exchanges);
      const config = scenario(name);
      const replayed = await awsOnlineChecks(config, { region: config.region, env: REPLAY_ENV, requestHandler: handler });
      expect(handler.unmatched).toEqual([]);
      expect(replayed).toEqual(problems);
    });
  }

  test("the recording holds each finding kind", () => {
    expect(existsSync(file)).toBe(true);
    expect(recording.scenarios.bad!.problems.length).toBe(6);
  });
});
