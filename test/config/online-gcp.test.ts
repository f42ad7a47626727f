// `nic validate --online` on GCP: through the REST transport (Compute) and @google-cloud/container (GKE's getServerConfig)
// against the sandbox's catalogues, and replayed from a recording.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import type { OnlineProblem } from "../../src/providers/aws/online.ts";
import { gcpOnlineChecks } from "../../src/providers/gcp/online.ts";
import { replayingFetch, type GcpExchange } from "../../src/providers/gcp/recording.ts";
import { writeTemp } from "../helpers/files.ts";
import { gcpScenario, GCP_SCENARIOS } from "./online-gcp-scenario.ts";

const summary = (problems: OnlineProblem[]) => problems.map((p) => `${p.severity} ${p.path.join(".")}: ${p.message}`);

describe("on the sandbox", () => {
  let box: Sandbox;
  beforeAll(async () => void (box = await startSandbox()));
  afterAll(async () => box?.stop());

  test("a configuration GCP can build has no findings", async () => {
    expect(await gcpOnlineChecks(gcpScenario("good"), { env: box.env })).toEqual([]);
  });

  test("a region that does not exist says what is offered", async () => {
    const [typo] = await gcpOnlineChecks(gcpScenario("typo"), { env: box.env });
    expect(typo).toMatchObject({ severity: "error", message: 'GCP has no region "us-centrl1" for project nebari-sandbox' });
    expect(typo!.hint).toStartWith("Did you mean us-central1?");
  });

  test("zones, machine types and GPUs per zone, and the Kubernetes version by prefix", async () => {
    const problems = await gcpOnlineChecks(gcpScenario("bad"), { env: box.env });
    expect(summary(problems)).toEqual([
      'error google_cloud_platform.availability_zones.2: us-central1 has no zone "us-central1-z" that is up',
      "error google_cloud_platform.node_groups.general.instance: e2-standard-5 is not offered in us-central1-b, us-central1-c",
      "error google_cloud_platform.node_groups.user.instance: g2-standard-4 is not offered in us-central1-c",
      "error google_cloud_platform.node_groups.worker.guest_accelerators.0.name: nvidia-tesla-a100 is not offered in us-central1-c",
      "error google_cloud_platform.node_groups.worker.guest_accelerators.1.count: is 8, but a VM takes at most 4 nvidia-tesla-t4",
      "error google_cloud_platform.kubernetes_version: GKE does not offer Kubernetes 1.28 in us-central1 today",
    ]);
    expect(problems[1]!.hint).toContain("e2-standard-4, e2-standard-8");
    expect(problems[2]!.hint).toStartWith("It is offered in us-central1-b");
    expect(problems[5]!.hint).toStartWith("GKE offers 1.29, 1.30, 1.31, 1.32, 1.33, 1.34");
  });

  test("for a cluster the state already tracks, a version GKE stopped offering is a warning", async () => {
    const problems = await gcpOnlineChecks(gcpScenario("bad"), { env: box.env, deployment: "existing" });
    expect(problems.at(-1)).toMatchObject({ severity: "warning", message: "GKE does not offer Kubernetes 1.28 in us-central1 today; GKE upgrades the existing cluster itself" });
  });

  test("nic validate --online reports them as errors of the configuration, with lines", async () => {
    const file = writeTemp("nebari-config.yaml", GCP_SCENARIOS.bad!);
    const run = Bun.spawn(["node_modules/.bin/bun", "src/main.ts", "validate", "-f", file, "--online", "--format", "json"], { env: { ...process.env, ...box.env }, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
    expect(code).not.toBe(0);
    const doc = JSON.parse(out || err);
    const errors = (doc.error?.details?.errors ?? doc.details?.errors) as { path: string; line: number }[];
    expect(errors.find((e) => e.path === "google_cloud_platform.node_groups.user.instance")).toMatchObject({ line: 10, column: 12 });
  }, 60_000);
});

describe("replayed from a recording (fixtures/recordings/gcp-online-validate.json)", () => {
  const recording = JSON.parse(readFileSync(join(import.meta.dir, "../../fixtures/recordings/gcp-online-validate.json"), "utf8")) as {
    scenarios: Record<string, { exchanges: GcpExchange[]; problems: OnlineProblem[] }>;
  };
  const replayEnv = { GOOGLE_OAUTH_ACCESS_TOKEN: "replayed", CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: "http://replay.invalid/", CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER: "http://replay.invalid/" };

  for (const name of Object.keys(GCP_SCENARIOS)) {
    test(`${name}: the same requests, the same findings, no sandbox`, async () => {
      const { exchanges, problems } = recording.scenarios[name]!;
      const replay = replayingFetch(exchanges);
      expect(await gcpOnlineChecks(gcpScenario(name), { env: replayEnv, fetch: replay })).toEqual(problems);
      expect(replay.unmatched).toEqual([]);
    });
  }

  test("region, zones and GKE's versions are asked at once, then every group's machine types at once", async () => {
    const replay = replayingFetch(recording.scenarios.bad!.exchanges);
    const scenario = gcpScenario("bad");
    let inFlight = 0;
    let firstRoundMost = 0;
    let mostAfterFirstRound = 0;
    let started = 0;
    let firstRound!: () => void;
    const allThree = new Promise<void>((resolve) => (firstRound = resolve));
    const counting = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const order = ++started;
      inFlight++;
      if (order <= 3) firstRoundMost = Math.max(firstRoundMost, inFlight);
      else mostAfterFirstRound = Math.max(mostAfterFirstRound, inFlight);
      // The first three wait for each other (a serial chain would wait out the 10 s and be counted as one at a time).
      if (order === 3) firstRound();
      if (order <= 3) await Promise.race([allThree, Bun.sleep(10_000)]);
      await Bun.sleep(20); // every answer takes a while, so calls made one after another never overlap
      try {
        return await replay(input, init);
      } finally {
        inFlight--;
      }
    }) as typeof fetch;
    await gcpOnlineChecks(scenario, { env: replayEnv, fetch: counting });
    expect(firstRoundMost).toBe(3);
    // Then each group's machine type in each zone it uses, all groups at once (one at a time would overlap only its zones).
    const zonesUsed = 2; // us-central1-z does not exist
    expect(mostAfterFirstRound).toBeGreaterThanOrEqual(scenario.node_groups.length * zonesUsed);
  }, 30_000);

  test("the recording holds each finding kind", () => {
    expect(recording.scenarios.bad!.problems.length).toBe(6);
    expect(recording.scenarios.good!.exchanges.some((e) => e.key.includes("/serverConfig"))).toBe(true);
  });
});
