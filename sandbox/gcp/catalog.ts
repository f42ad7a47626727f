// Compute Engine's catalogue, as `nic validate --online` (src/providers/gcp/online.ts) reads it: regions, machine types and
// accelerator types per zone. Realistic in shape and in its gaps: GPU machine types and the larger accelerators are offered
// in zones -a and -b only, as in Google's own lists, so "not offered in this zone" can be tried.
import { REGIONS } from "./context.ts";
import { notFound } from "./http.ts";

const COMPUTE = "https://www.googleapis.com/compute/v1";

/** name → [vCPUs, memory MiB, GPU zones only]. */
const MACHINE_TYPES: Record<string, [number, number, boolean?]> = {
  "e2-small": [2, 2048], "e2-medium": [2, 4096], "e2-standard-2": [2, 8192], "e2-standard-4": [4, 16384], "e2-standard-8": [8, 32768],
  "e2-standard-16": [16, 65536], "e2-highmem-2": [2, 16384], "e2-highmem-4": [4, 32768], "e2-highmem-8": [8, 65536], "e2-highmem-16": [16, 131072],
  "n1-standard-1": [1, 3840], "n1-standard-2": [2, 7680], "n1-standard-4": [4, 15360], "n1-standard-8": [8, 30720], "n1-standard-16": [16, 61440],
  "n2-standard-2": [2, 8192], "n2-standard-4": [4, 16384], "n2-standard-8": [8, 32768], "n2-standard-16": [16, 65536], "n2-highmem-8": [8, 65536],
  "c2-standard-8": [8, 32768], "c2-standard-16": [16, 65536],
  "g2-standard-4": [4, 16384, true], "g2-standard-8": [8, 32768, true], "a2-highgpu-1g": [12, 87040, true],
};

/** name → [description, most cards per VM, GPU zones only]. */
const ACCELERATORS: Record<string, [string, number, boolean]> = {
  "nvidia-tesla-t4": ["NVIDIA T4", 4, false],
  "nvidia-l4": ["NVIDIA L4", 8, true],
  "nvidia-tesla-v100": ["NVIDIA V100", 8, true],
  "nvidia-tesla-a100": ["NVIDIA A100 40GB", 16, true],
};

const gpuZone = (zone: string) => /-[ab]$/.test(zone);
const knownZone = (zone: string) => REGIONS.some((r) => ["a", "b", "c"].some((z) => `${r}-${z}` === zone));

export function listRegions(project: string) {
  const items = REGIONS.map((r, i) => ({
    kind: "compute#region", id: String(1000 + i), name: r, status: "UP",
    zones: ["a", "b", "c"].map((z) => `${COMPUTE}/projects/${project}/zones/${r}-${z}`),
    selfLink: `${COMPUTE}/projects/${project}/regions/${r}`,
  }));
  return { kind: "compute#regionList", id: `projects/${project}/regions`, items, selfLink: `${COMPUTE}/projects/${project}/regions` };
}

function machineType(project: string, zone: string, name: string) {
  const [guestCpus, memoryMb] = MACHINE_TYPES[name]!;
  return { kind: "compute#machineType", name, guestCpus, memoryMb, zone, description: `${guestCpus} vCPUs, ${memoryMb / 1024} GB RAM`, selfLink: `${COMPUTE}/projects/${project}/zones/${zone}/machineTypes/${name}` };
}

const machineTypesIn = (zone: string) => (knownZone(zone) ? Object.keys(MACHINE_TYPES).filter((n) => !MACHINE_TYPES[n]![2] || gpuZone(zone)) : []);
const acceleratorsIn = (zone: string) => (knownZone(zone) ? Object.keys(ACCELERATORS).filter((n) => !ACCELERATORS[n]![2] || gpuZone(zone)) : []);

export const machineTypes = {
  list: (project: string, zone: string) => {
    if (!knownZone(zone)) throw notFound(`projects/${project}/zones/${zone}`);
    return { kind: "compute#machineTypeList", items: machineTypesIn(zone).map((n) => machineType(project, zone, n)) };
  },
  get: (project: string, zone: string, name: string) => {
    if (!machineTypesIn(zone).includes(name)) throw notFound(`projects/${project}/zones/${zone}/machineTypes/${name}`);
    return machineType(project, zone, name);
  },
};

function acceleratorType(project: string, zone: string, name: string) {
  const [description, maximumCardsPerInstance] = ACCELERATORS[name]!;
  return { kind: "compute#acceleratorType", name, description, maximumCardsPerInstance, zone, selfLink: `${COMPUTE}/projects/${project}/zones/${zone}/acceleratorTypes/${name}` };
}

export const acceleratorTypes = {
  list: (project: string, zone: string) => {
    if (!knownZone(zone)) throw notFound(`projects/${project}/zones/${zone}`);
    return { kind: "compute#acceleratorTypeList", items: acceleratorsIn(zone).map((n) => acceleratorType(project, zone, n)) };
  },
  get: (project: string, zone: string, name: string) => {
    if (!acceleratorsIn(zone).includes(name)) throw notFound(`projects/${project}/zones/${zone}/acceleratorTypes/${name}`);
    return acceleratorType(project, zone, name);
  },
};
