// The configurations `nic validate --online` is tried with, on the sandbox (online-aws.test.ts) and from a recording
// (record-online.ts writes fixtures/recordings/aws-online-validate.json).
import { loadConfig } from "../../src/config/load.ts";
import type { AwsConfig } from "../../src/config/model.ts";
import { writeTemp } from "../helpers/files.ts";

const aws = (block: string) => `project_name: demo\nprovider: aws\namazon_web_services:\n${block}`;

export const SCENARIOS: Record<string, string> = {
  good: aws("  region: us-west-2\n  kubernetes_version: '1.34'\n  availability_zones: [us-west-2a, us-west-2b]\n  node_groups:\n    general: {instance: m5.xlarge}\n    gpu: {instance: g4dn.xlarge, gpu: true}\n"),
  disabled: aws("  region: af-south-1\n  kubernetes_version: '1.34'\n"),
  typo: aws("  region: us-wset-2\n  kubernetes_version: '1.34'\n"),
  bad: aws(
    "  region: us-west-2\n  kubernetes_version: '1.23'\n  availability_zones: [us-west-2a, us-west-2c, us-west-2z]\n  node_groups:\n" +
      "    general: {instance: m5.huge}\n    user: {instance: g5.xlarge, gpu: true}\n    worker: {instance: m5.xlarge, gpu: true}\n    render: {instance: g4dn.xlarge}\n",
  ),
};

export function scenario(name: string): AwsConfig {
  return loadConfig(writeTemp("nebari-config.yaml", SCENARIOS[name]!), { env: {} }).config.amazon_web_services!;
}
