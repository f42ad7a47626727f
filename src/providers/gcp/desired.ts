// Nebari's GCP stage 02 (nebari-stages.md §2.2; upstream infrastructure/template/gcp) as NIC resources: the same
// names, arguments and defaults. Every value's upstream source is in docs/audit/gcp.md. Pure.
import { NicError } from "../../cli/errors.ts";
import type { GcpConfig, NebariConfig } from "../../config/model.ts";
import { ref } from "../../engine/refs.ts";
import type { Resource } from "../../engine/types.ts";

/** locals.tf node_group_service_account_roles: main.tf's additional roles, then the module's own. */
export const NODE_ROLES = [
  "roles/storage.objectViewer",
  "roles/storage.admin",
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
];

/** locals.tf node_group_oauth_scopes: main.tf's additional scope, then the module's own. */
export const NODE_SCOPES = [
  "https://www.googleapis.com/auth/cloud-platform",
  "https://www.googleapis.com/auth/logging.write",
  "https://www.googleapis.com/auth/monitoring",
];

const TAINT_EFFECTS = { NoSchedule: "NO_SCHEDULE", PreferNoSchedule: "PREFER_NO_SCHEDULE", NoExecute: "NO_EXECUTE" } as const;

export const CLUSTER = "gcp/container_cluster/main";
export const SERVICE_ACCOUNT = "gcp/service_account/main";
export const REGISTRY = "gcp/artifact_registry_repository/jupyterhub";
export const poolAddress = (name: string) => `gcp/container_node_pool/${name}`;
/** `roles/storage.admin` → `gcp/project_iam_member/storage.admin` (the Terraform map's address). */
export const memberAddress = (role: string) => `gcp/project_iam_member/${role.replace(/^roles\//, "")}`;

/** `1.33`, `1.33.5` or `1.33.5-gke.100` → `1.33`: what NIC compares (GKE picks the patch, as Nebari's version data source does). */
export const minorVersion = (version: string) => version.split(/[.-]/).slice(0, 2).join(".");

export function gcpBlock(config: NebariConfig): GcpConfig {
  const gcp = config.google_cloud_platform;
  if (!gcp) throw new NicError("INTERNAL_ERROR", `The GCP provider was asked for resources of a ${config.provider} configuration.`, { recovery: ["This is a bug in NIC. Please report it."] });
  return gcp;
}

/** Every stage-02 resource for a GCP config, dependencies first; node pools in config order. */
export function desiredResources(config: NebariConfig): Resource[] {
  const gcp = gcpBlock(config);
  const name = config.cluster_name;
  const project = gcp.project;
  const location = gcp.region;
  const version = minorVersion(gcp.kubernetes_version);
  const out: Resource[] = [];

  out.push({
    address: REGISTRY,
    kind: "gcp/artifact_registry_repository",
    attributes: { project, location, repository_id: name, format: "DOCKER" },
    protected: true,
    immutableFields: ["project", "location", "repository_id", "format"],
  });

  out.push({
    address: SERVICE_ACCOUNT,
    kind: "gcp/service_account",
    attributes: { project, account_id: name, display_name: `${name} kubernetes node-group service account` },
    immutableFields: ["project", "account_id"],
  });
  for (const role of NODE_ROLES) {
    out.push({
      address: memberAddress(role),
      kind: "gcp/project_iam_member",
      attributes: { project, role, service_account: ref(SERVICE_ACCOUNT) },
      immutableFields: ["project", "role", "service_account"],
    });
  }

  out.push({
    address: CLUSTER,
    kind: "gcp/container_cluster",
    attributes: {
      project,
      location,
      name,
      kubernetes_version: version,
      // Nebari: availability_zones, else the region's first zone (prepare() asks the cloud); Terraform ignores later changes.
      node_locations: gcp.availability_zones,
      release_channel: gcp.release_channel,
      // Nebari's main.tf does not pass networking_mode to the module, whose default is ROUTES (the config key is unused).
      networking_mode: "ROUTES",
      network: gcp.network,
      subnetwork: gcp.subnetwork,
      ip_allocation_policy: gcp.ip_allocation_policy,
      master_authorized_networks: gcp.master_authorized_networks_config ? [gcp.master_authorized_networks_config] : null,
      private_cluster_config: gcp.private_cluster_config,
      workload_pool: `${project}.svc.id.goog`,
      issue_client_certificate: true,
      remove_default_node_pool: true,
    },
    protected: true,
    // GKE owns the patch version (auto-upgrades) and, when the config names none, the subnetwork.
    ignoreFields: ["node_locations", "master_version", ...(gcp.subnetwork ? [] : ["subnetwork"])],
    immutableFields: ["project", "location", "name", "networking_mode", "network", "subnetwork", "ip_allocation_policy", "private_cluster_config", "issue_client_certificate"],
  });

  // Terraform's count index: each pool waits for the one before it, so they are made (and changed) in config order.
  let previous: string | undefined;
  const imageType = config.storage.type === "cephfs" ? "UBUNTU_CONTAINERD" : "COS_CONTAINERD";
  for (const group of gcp.node_groups) {
    const address = poolAddress(group.name);
    out.push({
      address,
      kind: "gcp/container_node_pool",
      attributes: {
        project,
        location,
        cluster: ref(CLUSTER, "name"),
        name: group.name,
        version,
        initial_node_count: group.min_nodes,
        autoscaling: { min_node_count: group.min_nodes, max_node_count: group.max_nodes },
        management: { auto_repair: true, auto_upgrade: false },
        node_config: {
          machine_type: group.instance,
          preemptible: group.preemptible,
          image_type: imageType,
          service_account: ref(SERVICE_ACCOUNT),
          oauth_scopes: NODE_SCOPES,
          taints: group.taints.map((t) => ({ key: t.key, value: t.value ?? "", effect: TAINT_EFFECTS[t.effect] })),
          metadata: { "disable-legacy-endpoints": "true" },
          labels: group.labels,
          guest_accelerators: group.guest_accelerators.map((a) => ({ type: a.name, count: a.count })),
          tags: gcp.tags,
        },
      },
      dependsOn: previous ? [previous] : undefined,
      // initial_node_count only matters at creation (the autoscaler owns the count); Terraform would replace the pool.
      ignoreFields: ["initial_node_count"],
      immutableFields: ["project", "location", "cluster", "name", "node_config.preemptible", "node_config.service_account", "node_config.oauth_scopes", "node_config.metadata", "node_config.guest_accelerators"],
    });
    previous = address;
  }
  return out;
}
