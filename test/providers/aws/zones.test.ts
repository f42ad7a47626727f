// Availability zones as Nebari picks them when the config names fewer than two, asked of EC2 (the sandbox) only when
// the state has no subnets to keep.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startSandbox, type Sandbox } from "../../../sandbox/index.ts";
import { awsClients } from "../../../src/providers/aws/clients.ts";
import { withZones } from "../../../src/providers/aws/zones.ts";
import { newState } from "../../../src/state/format.ts";
import { configFrom } from "./harness.ts";

let sandbox: Sandbox;
beforeAll(async () => void (sandbox = await startSandbox()));
afterAll(() => sandbox.stop());

const config = (zones = "") => configFrom(`project_name: zones\nprovider: aws\namazon_web_services:\n  region: us-west-2\n  kubernetes_version: '1.34'\n${zones}`);
const calls = async () => ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: Array<{ action: string }> }).calls.filter((c) => c.action === "DescribeAvailabilityZones").length;
const clients = () => awsClients({ region: "us-west-2", env: sandbox.env });

test("no zones in the config and no subnets in state: the region's first two zones that need no opt-in, sorted", async () => {
  const before = await calls();
  const prepared = await withZones(config(), undefined, clients());
  expect(prepared.amazon_web_services?.availability_zones).toEqual(["us-west-2a", "us-west-2b"]);
  expect((await calls()) - before).toBe(1);
});

test("the state's subnets keep their zones, and EC2 is not asked", async () => {
  const state = newState({ provider: "aws", projectName: "zones", region: "us-west-2" });
  for (const [i, zone] of ["us-west-2c", "us-west-2d"].entries()) {
    state.resources[`aws/subnet/${i}`] = { kind: "aws/subnet", provider_id: `subnet-${i}`, attributes: { availability_zone: zone }, depends_on: [], imported_from_terraform: false, created_at: "", updated_at: "" } as never;
  }
  const before = await calls();
  expect((await withZones(config(), state, clients())).amazon_web_services?.availability_zones).toEqual(["us-west-2c", "us-west-2d"]);
  expect((await calls()) - before).toBe(0);
});

test("a config naming two or more zones is used as it is", async () => {
  const named = config("  availability_zones: [us-west-2d, us-west-2b]\n");
  expect(await withZones(named, undefined, clients())).toBe(named);
});
