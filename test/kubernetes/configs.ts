// Nebari configurations for the stage 03 tests, loaded through NIC's real config loader.
import { loadConfig } from "../../src/config/load.ts";
import type { NebariConfig } from "../../src/config/model.ts";
import { writeTemp } from "../helpers/files.ts";

export function config(yaml: string): NebariConfig {
  return loadConfig(writeTemp("nebari-config.yaml", yaml), { env: {} }).config;
}

export const REGISTRY = `external_container_reg:
  enabled: true
  access_key_id: AKIAEXAMPLE
  secret_access_key: very-secret-key
  extcr_account: "123456789012"
  extcr_region: us-west-2
`;

/** AWS with the default node groups, or with a GPU group `gpu-a` when asked. */
export function aws(opts: { gpu?: boolean; registry?: boolean; project?: string } = {}): NebariConfig {
  const gpu = opts.gpu ? "    gpu-a:\n      instance: g4dn.xlarge\n      min_nodes: 0\n      max_nodes: 2\n      gpu: true\n" : "";
  return config(`project_name: ${opts.project ?? "demo"}
provider: aws
namespace: dev
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.33'
  node_groups:
    general:
      instance: m5.2xlarge
      min_nodes: 1
      max_nodes: 1
    user:
      instance: m5.xlarge
      min_nodes: 0
      max_nodes: 5
${gpu}${opts.registry ? REGISTRY : ""}`);
}

export function gcp(accelerators: boolean): NebariConfig {
  const guest = accelerators ? "      guest_accelerators:\n        - name: nvidia-tesla-t4\n          count: 1\n" : "";
  return config(`project_name: demo
provider: gcp
google_cloud_platform:
  project: my-project
  region: us-central1
  kubernetes_version: '1.33'
  node_groups:
    general:
      instance: e2-standard-8
    gpu:
      instance: n1-standard-16
${guest}`);
}

export function local(namespace = "dev"): NebariConfig {
  return config(`project_name: demo\nprovider: local\nnamespace: ${namespace}\n`);
}
