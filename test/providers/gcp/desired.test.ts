// desiredResources for GCP: Nebari's template/gcp, field by field (pure, no sandbox). docs/audit/gcp.md names these tests.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load.ts";
import type { Resource } from "../../../src/engine/types.ts";
import { desiredResources } from "../../../src/providers/gcp/index.ts";

function config(block = "", top = "") {
  const dir = mkdtempSync(join(tmpdir(), "nic-gcp-config-"));
  writeFileSync(join(dir, "nebari-config.yaml"), `project_name: nicdemo
namespace: dev
provider: gcp
${top}google_cloud_platform:
  project: my-project
  region: us-central1
  kubernetes_version: '1.34'
${block}`);
  return loadConfig(join(dir, "nebari-config.yaml"), { env: {} }).config;
}
const find = (resources: Resource[], address: string) => {
  const r = resources.find((x) => x.address === address);
  if (!r) throw new Error(`${address} is not desired; have ${resources.map((x) => x.address).join(", ")}`);
  return r;
};

describe("GCP stage 02 as Nebari's Terraform has it", () => {
  const resources = desiredResources(config());

  test("registry: <project>-<namespace>, DOCKER, in the region", () => {
    expect(find(resources, "gcp/artifact_registry_repository/jupyterhub").attributes).toEqual({ project: "my-project", location: "us-central1", repository_id: "nicdemo-dev", format: "DOCKER" });
  });

  test("service account and its six roles", () => {
    expect(find(resources, "gcp/service_account/main").attributes).toEqual({ project: "my-project", account_id: "nicdemo-dev", display_name: "nicdemo-dev kubernetes node-group service account" });
    const roles = resources.filter((r) => r.kind === "gcp/project_iam_member").map((r) => r.attributes.role);
    expect(roles).toEqual(["roles/storage.objectViewer", "roles/storage.admin", "roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer"]);
    expect(find(resources, "gcp/project_iam_member/storage.admin").attributes.service_account).toEqual({ $ref: "gcp/service_account/main", field: "id" });
  });

  test("cluster: regional, ROUTES, default network, workload identity, client certificate, default pool removed", () => {
    const c = find(resources, "gcp/container_cluster/main");
    expect(c.attributes).toEqual({
      project: "my-project", location: "us-central1", name: "nicdemo-dev", kubernetes_version: "1.34", node_locations: [], release_channel: "UNSPECIFIED",
      networking_mode: "ROUTES", network: "default", subnetwork: null, ip_allocation_policy: null, master_authorized_networks: null, private_cluster_config: null,
      workload_pool: "my-project.svc.id.goog", issue_client_certificate: true, remove_default_node_pool: true,
    });
    expect(c.ignoreFields).toEqual(["node_locations", "master_version", "subnetwork"]);
    expect(c.protected).toBe(true);
  });

  test("node pools in config order, each after the one before; Nebari's default taint on all but general", () => {
    const pools = resources.filter((r) => r.kind === "gcp/container_node_pool");
    expect(pools.map((p) => p.attributes.name)).toEqual(["general", "user", "worker"]);
    expect(pools.map((p) => p.dependsOn)).toEqual([undefined, ["gcp/container_node_pool/general"], ["gcp/container_node_pool/user"]]);
    const [general, user] = pools.map((p) => p.attributes as any);
    expect(general.autoscaling).toEqual({ min_node_count: 1, max_node_count: 1 });
    expect(general.initial_node_count).toBe(1);
    expect(general.management).toEqual({ auto_repair: true, auto_upgrade: false });
    expect(general.node_config).toMatchObject({
      machine_type: "e2-standard-8", preemptible: false, image_type: "COS_CONTAINERD", taints: [], labels: {}, guest_accelerators: [], tags: [],
      metadata: { "disable-legacy-endpoints": "true" },
      oauth_scopes: ["https://www.googleapis.com/auth/cloud-platform", "https://www.googleapis.com/auth/logging.write", "https://www.googleapis.com/auth/monitoring"],
    });
    expect(user.node_config.taints).toEqual([{ key: "dedicated", value: "nebari", effect: "NO_SCHEDULE" }]);
  });

  test("options: zones, subnetwork, authorized network, private cluster, preemptible GPU pool, cephfs image type", () => {
    const r = desiredResources(config(`  availability_zones: [us-central1-b]
  subnetwork: sub
  tags: [nebari]
  master_authorized_networks_config: {cidr_block: 10.0.0.0/8, display_name: corp}
  private_cluster_config: {enable_private_nodes: true, enable_private_endpoint: false, master_ipv4_cidr_block: 172.16.0.0/28}
  node_groups:
    gpu:
      instance: n1-standard-4
      min_nodes: 0
      max_nodes: 2
      preemptible: true
      labels: {accel: t4}
      guest_accelerators: [{name: nvidia-tesla-t4, count: 1}]
`, "storage:\n  type: cephfs\n"));
    const c = find(r, "gcp/container_cluster/main").attributes;
    expect(c).toMatchObject({ node_locations: ["us-central1-b"], subnetwork: "sub", master_authorized_networks: [{ cidr_block: "10.0.0.0/8", display_name: "corp" }], private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: false, master_ipv4_cidr_block: "172.16.0.0/28" } });
    expect(find(r, "gcp/container_cluster/main").ignoreFields).toEqual(["node_locations", "master_version"]);
    expect((find(r, "gcp/container_node_pool/gpu").attributes as any).node_config).toMatchObject({ preemptible: true, image_type: "UBUNTU_CONTAINERD", labels: { accel: "t4" }, guest_accelerators: [{ type: "nvidia-tesla-t4", count: 1 }], tags: ["nebari"], taints: [{ key: "dedicated", value: "nebari", effect: "NO_SCHEDULE" }] });
  });
});
