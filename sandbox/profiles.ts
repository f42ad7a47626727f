// Named lifecycle profiles: how long the sandbox's transitions take. `realistic` is what AWS takes, in seconds, divided
// by a scale factor (60 by default: a 10-minute EKS cluster becomes 10 s), so benchmarks and demos keep its proportions.
// The sources of the figures are in README.md (Performance).
import type { Delays } from "./world.ts";

/** Real-world durations in seconds (creates; deletes keep the sandbox's defaults). */
export const REAL_WORLD_SECONDS = {
  eksClusterCreate: 600,
  eksNodegroupCreate: 240,
  eksAddonCreate: 90,
  efsCreate: 30,
  efsMountTargetCreate: 90,
  /** A new IAM role cannot be assumed by EKS for this long (CreateCluster answers "could not be assumed"). */
  iamPropagation: 10,
  /** A new CRD is Established (estimate: the API server registers it within a second). */
  kubeCrdEstablished: 1,
  /** A Deployment is available once its pod runs on an existing node (estimate: image pull and start of one small image). */
  kubeWorkloadReady: 30,
} satisfies Partial<Record<keyof Delays, number>>;

export const PROFILES = ["default", "realistic"] as const;
export type ProfileName = (typeof PROFILES)[number];
export const DEFAULT_SCALE = 60;

/** The delays (ms) of a named profile; `default` changes nothing. */
export function profileDelays(name: ProfileName, scale = DEFAULT_SCALE): Partial<Delays> {
  if (name === "default") return {};
  if (!(scale > 0)) throw new Error(`sandbox: the scale factor must be positive, got ${scale}`);
  return Object.fromEntries(Object.entries(REAL_WORLD_SECONDS).map(([k, s]) => [k, Math.round((s * 1000) / scale)]));
}

export function isProfile(name: string): name is ProfileName {
  return (PROFILES as readonly string[]).includes(name);
}
