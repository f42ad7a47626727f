// `nic validate --online` on Azure, through @azure/arm-* and @azure/identity against the sandbox's ARM, and replayed from a recording.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { OnlineProblem } from "../../src/providers/aws/online.ts";
import { azureOnlineChecks } from "../../src/providers/azure/online.ts";
import { replayingHttpClient, type AzureExchange } from "../../src/providers/azure/recording.ts";
import { writeTemp } from "../helpers/files.ts";
import { AZURE_REPLAY_ENV, azureScenario, AZURE_SCENARIOS } from "./online-azure-scenario.ts";

let box: Sandbox;
beforeAll(async () => void (box = await startSandbox()));
afterAll(async () => box?.stop());

const check = (region: string, version: string) => {
  const yaml = `project_name: demo\nprovider: azure\nazure:\n  region: ${region}\n  kubernetes_version: '${version}'\n  storage_account_postfix: ab12\n`;
  const config = loadConfig(writeTemp("nebari-config.yaml", yaml), { env: {} }).config.azure!;
  return azureOnlineChecks(config, box.env);
};

test("a region and version AKS offers: nothing to report (the display name is checked as its canonical form)", async () => {
  expect(await check("Central US", "1.33")).toEqual([]);
  expect(await check("eastus", "1.33.5")).toEqual([]);
}, 30_000);

test("a region the subscription lacks, and a version AKS does not offer, say what is offered", async () => {
  const [region] = await check("polandcentral", "1.33");
  expect(region).toMatchObject({ severity: "error", path: ["azure", "region"] });
  expect(region!.hint).toContain("centralus");
  const [version] = await check("eastus", "1.28");
  expect(version).toMatchObject({ severity: "error", message: "AKS does not offer Kubernetes 1.28 in eastus today" });
  expect(version!.hint).toContain("1.34");
}, 30_000);

test("each node group's VM size: offered in the region, and not restricted there for the subscription", async () => {
  const groups = "  node_groups:\n    general: {instance: Standard_D8_v3}\n    user: {instance: Standard_D5_v3}\n    a100: {instance: Standard_NC24ads_A100_v4}\n    nc: {instance: Standard_NC6s_v3}\n";
  const yaml = `project_name: demo\nprovider: azure\nazure:\n  region: centralus\n  kubernetes_version: '1.33'\n  storage_account_postfix: ab12\n${groups}`;
  const problems = await azureOnlineChecks(loadConfig(writeTemp("nebari-config.yaml", yaml), { env: {} }).config.azure!, box.env);
  expect(problems.map((p) => `${p.path.join(".")}: ${p.message}`)).toEqual([
    "azure.node_groups.user.instance: Standard_D5_v3 is not offered in centralus",
    "azure.node_groups.a100.instance: Standard_NC24ads_A100_v4 is not offered in centralus",
    "azure.node_groups.nc.instance: Standard_NC6s_v3 is not available to this subscription in centralus (NotAvailableForSubscription)",
  ]);
  expect(problems[0]!.hint).toBe("centralus offers Standard_D2_v3, Standard_D4_v3, Standard_D8_v3, Standard_D16_v3, Standard_D32_v3, Standard_D64_v3");
}, 30_000);

describe("replayed from a recording (fixtures/recordings/azure-online-validate.json)", () => {
  const recording = JSON.parse(readFileSync(join(import.meta.dir, "../../fixtures/recordings/azure-online-validate.json"), "utf8")) as {
    scenarios: Record<string, { exchanges: AzureExchange[]; problems: OnlineProblem[] }>;
  };
  const credential = { getToken: async () => ({ token: "replayed", expiresOnTimestamp: Date.now() + 3600_000 }) };

  for (const name of Object.keys(AZURE_SCENARIOS)) {
    test(`${name}: the same requests, the same findings, no sandbox`, async () => {
      const { exchanges, problems } = recording.scenarios[name]!;
      const httpClient = await replayingHttpClient(exchanges);
      expect(await azureOnlineChecks(azureScenario(name), AZURE_REPLAY_ENV, { httpClient, credential })).toEqual(problems);
      expect(httpClient.unmatched).toEqual([]);
    });
  }

  test("the three questions are asked at once (one round trip before a deploy's first change)", async () => {
    const replay = await replayingHttpClient(recording.scenarios.bad!.exchanges);
    let inFlight = 0;
    let most = 0;
    let started = 0;
    let allStarted!: () => void;
    const allThree = new Promise<void>((resolve) => (allStarted = resolve));
    const httpClient = {
      async sendRequest(request: Parameters<typeof replay.sendRequest>[0]) {
        most = Math.max(most, ++inFlight);
        // The three wait for each other (a serial chain would wait out the 10 s, one at a time).
        if (++started === 3) allStarted();
        await Promise.race([allThree, Bun.sleep(10_000)]);
        try {
          return await replay.sendRequest(request);
        } finally {
          inFlight--;
        }
      },
    };
    await azureOnlineChecks(azureScenario("bad"), AZURE_REPLAY_ENV, { httpClient, credential });
    expect(most).toBe(3);
  }, 60_000);

  test("the recording holds each finding kind", () => {
    expect(recording.scenarios.typo!.problems.map((p) => p.path.join("."))).toEqual(["azure.region"]);
    expect(recording.scenarios.bad!.problems.map((p) => p.path.join("."))).toEqual([
      "azure.node_groups.general.instance",
      "azure.node_groups.a100.instance",
      "azure.node_groups.nc.instance",
      "azure.kubernetes_version",
    ]);
  });
});
