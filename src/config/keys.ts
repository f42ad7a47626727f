// Which keys exist where: the sections NIC interprets, the Nebari sections it passes through, and accepted aliases.

/** Top-level sections NIC reads. An unknown key close to one of these is an error with a "did you mean". */
export const INTERPRETED_KEYS = [
  "project_name", "namespace", "provider", "nebari_version", "prevent_deploy", "terraform_state", "external_container_reg", "storage",
  "amazon_web_services", "google_cloud_platform", "azure", "local", "existing", "ci_cd",
];

/** Sections of later Nebari stages: accepted as they are, never interpreted (nebari-stages.md §1.1). */
export const PASS_THROUGH_KEYS = [
  "domain", "certificate", "ingress", "dns", "security", "default_images", "theme", "profiles", "environments", "conda_store",
  "argo_workflows", "monitoring", "telemetry", "jupyterhub", "jupyterlab", "jhub_apps", "ceph", "helm_extensions", "tf_extensions",
];

/** The design document's simplified spellings, accepted with a warning naming the canonical key. */
export const ALIASES: Record<string, Record<string, string>> = {
  amazon_web_services: { vpc_cidr: "vpc_cidr_block", node_pools: "node_groups" },
  google_cloud_platform: { project_id: "project", node_pools: "node_groups" },
  azure: { resource_group: "resource_group_name", node_pools: "node_groups" },
  aws_node_group: { instance_type: "instance", min_size: "min_nodes", max_size: "max_nodes" },
  gcp_node_group: { machine_type: "instance", min_count: "min_nodes", max_count: "max_nodes" },
  azure_node_group: { vm_size: "instance", min_count: "min_nodes", max_count: "max_nodes" },
};

/** Node-group keys that look plausible but Nebari rejects, with the reason. */
export const REJECTED_NODE_GROUP_KEYS: Record<string, string> = {
  launch_template: "The 'launch_template' field is currently unavailable and has been removed from the configuration schema (Nebari 2024.11.1)",
  ami_type: "is not configurable: Nebari derives it from `gpu` (AL2023_x86_64_NVIDIA when true, AL2023_x86_64_STANDARD otherwise)",
  desired_size: "is owned by the cluster autoscaler; Nebari starts every group at min_nodes",
  node_taints: "is Terraform's internal name; write `taints`",
};

/** Keys real files still carry from QHub and older Nebari, each with what became of it. */
export const LEGACY_KEYS: Record<string, { why: string; hint: string }> = {
  qhub_version: { why: "this is a QHub-era file", hint: "Run `nebari upgrade -c nebari-config.yaml` to convert it" },
  digital_ocean: { why: "DigitalOcean support was removed from Nebari in 2024.x", hint: "Move to aws, gcp, azure or an existing cluster" },
  cdsdashboards: { why: "cdsdashboards was removed from Nebari (replaced by jhub-apps)", hint: "Delete it; use jhub_apps: {enabled: true}" },
  kbatch: { why: "kbatch was removed from Nebari", hint: "Delete it; argo_workflows runs batch jobs" },
  prefect: { why: "Prefect moved out of Nebari into a plugin", hint: "Install the nebari-prefect plugin, or delete the section" },
  clearml: { why: "ClearML moved out of Nebari into a plugin", hint: "Install the nebari-clearml plugin, or delete the section" },
};
