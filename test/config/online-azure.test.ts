// `nic validate --online` on Azure, through @azure/arm-* and @azure/identity against the sandbox's ARM.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import { azureOnlineChecks } from "../../src/providers/azure/online.ts";
import { writeTemp } from "../helpers/files.ts";

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
