// The availability zones of the subnets, as Nebari picks them when the config names fewer than two:
// the region's zones that need no opt-in, sorted, the first two (nebari-stages.md §2, `data.aws_availability_zones`).
import type { NebariConfig } from "../../config/model.ts";
import type { State } from "../../state/format.ts";
import type { AwsClients } from "./clients.ts";

/**
 * The config with `availability_zones` filled in when it names fewer than two: the zones of the subnets the state
 * records (NIC never moves a subnet), else asked of EC2. A config naming two or more is returned as it is.
 */
export async function withZones(config: NebariConfig, state: State | undefined, aws: AwsClients, signal?: AbortSignal): Promise<NebariConfig> {
  const block = config.amazon_web_services!;
  if ((block.availability_zones?.length ?? 0) >= 2) return config;
  const zones = recordedZones(state) ?? (await firstZones(aws, signal));
  return { ...config, amazon_web_services: { ...block, availability_zones: zones } };
}

function recordedZones(state: State | undefined): string[] | undefined {
  const zones: string[] = [];
  for (let i = 0; state?.resources[`aws/subnet/${i}`]; i++) zones.push(String(state.resources[`aws/subnet/${i}`]!.attributes.availability_zone));
  return zones.length >= 2 && zones.every((z) => z !== "undefined") ? zones : undefined;
}

async function firstZones(aws: AwsClients, signal?: AbortSignal): Promise<string[]> {
  const { sdk, client } = await aws.ec2();
  const { AvailabilityZones } = await client.send(
    new sdk.DescribeAvailabilityZonesCommand({ Filters: [{ Name: "opt-in-status", Values: ["opt-in-not-required"] }] }),
    { abortSignal: signal },
  );
  const names = (AvailabilityZones ?? []).filter((z) => z.State === "available").map((z) => z.ZoneName!).sort();
  if (names.length < 2) throw new Error(`${aws.region} has fewer than two available zones (${names.join(", ") || "none"}); name them in amazon_web_services.availability_zones`);
  return names.slice(0, 2);
}
