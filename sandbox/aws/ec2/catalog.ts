// What EC2 offers, for `nic validate --online`: every region with its opt-in status, and instance types with their size,
// GPUs and the zone letters that offer them. Figures from the EC2 instance-type pages (docs.aws.amazon.com/ec2/latest/
// instancetypes); zone coverage simplified (GPU types are missing from some zones, as in the real regions).
import { AwsError } from "../../protocols/errors.ts";
import { list } from "../../protocols/query.ts";
import type { QueryHandler } from "../service.ts";
import { zones as regionZones } from "./common.ts";

/** Regions enabled by default; the others need opting in (docs: "Enable or disable AWS Regions in your account"). */
const DEFAULT_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "sa-east-1",
];
const OPT_IN_REGIONS = [
  "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
  "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
];

interface InstanceType {
  vcpus: number;
  memoryMiB: number;
  gpu?: { name: string; manufacturer: string; count: number; memoryMiB: number };
  /** Zone letters that offer it; absent: every zone. */
  letters?: string;
}

const T4 = { name: "T4", manufacturer: "NVIDIA", memoryMiB: 15360 };
const A10G = { name: "A10G", manufacturer: "NVIDIA", memoryMiB: 24576 };
const V100 = { name: "V100", manufacturer: "NVIDIA", memoryMiB: 16384 };
const A100 = { name: "A100", manufacturer: "NVIDIA", memoryMiB: 40960 };

export const INSTANCE_TYPES: Record<string, InstanceType> = {
  "t3.medium": { vcpus: 2, memoryMiB: 4096 }, "t3.large": { vcpus: 2, memoryMiB: 8192 }, "t3.xlarge": { vcpus: 4, memoryMiB: 16384 },
  "m5.large": { vcpus: 2, memoryMiB: 8192 }, "m5.xlarge": { vcpus: 4, memoryMiB: 16384 }, "m5.2xlarge": { vcpus: 8, memoryMiB: 32768 },
  "m5.4xlarge": { vcpus: 16, memoryMiB: 65536 }, "m6i.large": { vcpus: 2, memoryMiB: 8192 }, "m6i.xlarge": { vcpus: 4, memoryMiB: 16384 },
  "m6i.2xlarge": { vcpus: 8, memoryMiB: 32768 }, "m7i.xlarge": { vcpus: 4, memoryMiB: 16384, letters: "abc" },
  "c5.xlarge": { vcpus: 4, memoryMiB: 8192 }, "c5.2xlarge": { vcpus: 8, memoryMiB: 16384 },
  "r5.xlarge": { vcpus: 4, memoryMiB: 32768 }, "r5.2xlarge": { vcpus: 8, memoryMiB: 65536 },
  "g4dn.xlarge": { vcpus: 4, memoryMiB: 16384, gpu: { ...T4, count: 1 }, letters: "abc" },
  "g4dn.2xlarge": { vcpus: 8, memoryMiB: 32768, gpu: { ...T4, count: 1 }, letters: "abc" },
  "g5.xlarge": { vcpus: 4, memoryMiB: 16384, gpu: { ...A10G, count: 1 }, letters: "ab" },
  "p3.2xlarge": { vcpus: 8, memoryMiB: 62464, gpu: { ...V100, count: 1 }, letters: "bc" },
  "p4d.24xlarge": { vcpus: 96, memoryMiB: 1179648, gpu: { ...A100, count: 8 }, letters: "b" },
};

/** EC2 filter values take `*` wildcards (`m5.*`). */
function glob(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`).test(value);
}

function filterValues(p: Record<string, any>, name: string): string[] {
  return list<any>(p.Filter).filter((f) => f.Name === name).flatMap((f) => list<string>(f.Value));
}

export const catalogActions: Record<string, QueryHandler> = {
  DescribeRegions(p) {
    const all = p.AllRegions === "true";
    const regions = [
      ...DEFAULT_REGIONS.map((r) => ({ r, status: "opt-in-not-required" })),
      ...OPT_IN_REGIONS.map((r) => ({ r, status: "not-opted-in" })),
    ].filter(({ status }) => all || status !== "not-opted-in");
    const names = list<string>(p.RegionName);
    const items = regions.filter(({ r }) => !names.length || names.includes(r));
    return { regionInfo: items.map(({ r, status }) => ({ regionName: r, regionEndpoint: `ec2.${r}.amazonaws.com`, optInStatus: status })) };
  },
  DescribeInstanceTypeOfferings(p, world) {
    const byZone = p.LocationType === "availability-zone";
    const types = filterValues(p, "instance-type");
    const locations = filterValues(p, "location");
    const offerings = Object.entries(INSTANCE_TYPES).flatMap(([type, t]) =>
      byZone
        ? regionZones(world.region).filter((z) => !t.letters || t.letters.includes(z.zoneName.slice(-1))).map((z) => ({ instanceType: type, locationType: "availability-zone", location: z.zoneName }))
        : [{ instanceType: type, locationType: "region", location: world.region }],
    );
    const items = offerings.filter((o) => (!types.length || types.some((t) => glob(t, o.instanceType))) && (!locations.length || locations.includes(o.location)));
    return { instanceTypeOfferingSet: items };
  },
  DescribeInstanceTypes(p) {
    const names = list<string>(p.InstanceType);
    const unknown = names.filter((n) => !(n in INSTANCE_TYPES));
    if (unknown.length) throw new AwsError("InvalidInstanceType", `The following supplied instance types do not exist: [${unknown.join(", ")}]`);
    const chosen = names.length ? names : Object.keys(INSTANCE_TYPES);
    return {
      instanceTypeSet: chosen.map((name) => {
        const t = INSTANCE_TYPES[name]!;
        return {
          instanceType: name,
          currentGeneration: true,
          vCpuInfo: { defaultVCpus: t.vcpus },
          memoryInfo: { sizeInMiB: t.memoryMiB },
          ...(t.gpu && {
            gpuInfo: {
              gpus: [{ name: t.gpu.name, manufacturer: t.gpu.manufacturer, count: t.gpu.count, memoryInfo: { sizeInMiB: t.gpu.memoryMiB } }],
              totalGpuMemoryInMiB: t.gpu.memoryMiB * t.gpu.count,
            },
          }),
        };
      }),
    };
  },
};
