// The configurations `nic validate --online` is tried with on GCP, on the sandbox (online-gcp.test.ts) and from a recording
// (record-online-gcp.ts writes fixtures/recordings/gcp-online-validate.json).
import { loadConfig } from "../../src/config/load.ts";
import type { GcpConfig } from "../../src/config/model.ts";
import { writeTemp } from "../helpers/files.ts";

const gcp = (block: string) => `project_name: demo\nprovider: gcp\ngoogle_cloud_platform:\n  project: nebari-sandbox\n${block}`;

export const GCP_SCENARIOS: Record<string, string> = {
  good: gcp(
    "  region: us-central1\n  kubernetes_version: '1.33'\n  availability_zones: [us-central1-a, us-central1-b]\n  node_groups:\n" +
      "    general: {instance: e2-highmem-4}\n    gpu: {instance: n1-standard-4, guest_accelerators: [{name: nvidia-tesla-t4, count: 1}]}\n",
  ),
  typo: gcp("  region: us-centrl1\n  kubernetes_version: '1.33'\n"),
  bad: gcp(
    "  region: us-central1\n  kubernetes_version: '1.28'\n  availability_zones: [us-central1-b, us-central1-c, us-central1-z]\n  node_groups:\n" +
      "    general: {instance: e2-standard-5}\n    user: {instance: g2-standard-4}\n" +
      "    worker: {instance: n1-standard-4, guest_accelerators: [{name: nvidia-tesla-a100}, {name: nvidia-tesla-t4, count: 8}]}\n",
  ),
};

export function gcpScenario(name: string): GcpConfig {
  return loadConfig(writeTemp("nebari-config.yaml", GCP_SCENARIOS[name]!), { env: {} }).config.google_cloud_platform!;
}
