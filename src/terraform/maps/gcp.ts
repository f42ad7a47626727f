// Nebari's GCP stage 02 Terraform addresses (nebari-stages.md §2.2) → NIC's `gcp/…` addresses. Ids are the
// resources' full names as Terraform records them (`projects/<p>/locations/<l>/clusters/<name>`, …).
import { arnOf, block, num, single, str, type Rule, type RuleTable } from "../map.ts";

const nodePool: Rule = ({ attributes }) => {
  const name = str(attributes, "name");
  const autoscaling = block(attributes, "autoscaling");
  return {
    address: `gcp/container_node_pool/${name}`,
    id: str(attributes, "id"),
    facts: { node_groups: [{ name, instance: str(block(attributes, "node_config"), "machine_type") || undefined, min: num(autoscaling.min_node_count), max: num(autoscaling.max_node_count) }] },
  };
};

/** `roles/storage.admin` → `storage.admin`: an address segment holds no slash. */
const iamMember: Rule = ({ key, attributes }) => ({
  address: `gcp/project_iam_member/${String(key ?? str(attributes, "role")).replace(/^roles\//, "")}`,
  id: str(attributes, "id"),
});

export const GCP_RULES: RuleTable = {
  rules: {
    "module.registry-jupyterhub.google_artifact_registry_repository.registry": single("gcp/artifact_registry_repository/jupyterhub"),
    // Before 2025.2.1 Nebari used Container Registry; its successor is the Artifact Registry repository at the same place.
    "module.registry-jupyterhub.google_container_registry.registry": ({ attributes }) => ({
      address: "gcp/artifact_registry_repository/jupyterhub",
      id: str(attributes, "id"),
      history: "google_container_registry (Nebari before 2025.2.1); Nebari 2025.2.1 replaced it with an Artifact Registry repository",
    }),
    "module.kubernetes.google_container_cluster.main": single("gcp/container_cluster/main", "id", (a) => ({ facts: { kubernetes_version: str(a, "min_master_version") || str(a, "master_version") } })),
    "module.kubernetes.google_container_node_pool.*": nodePool,
    "module.kubernetes.google_service_account.main": ({ attributes }) => ({ address: "gcp/service_account/main", id: str(attributes, "email") || str(attributes, "id"), ...arnOf(attributes) }),
    "module.kubernetes.google_project_iam_member.main": iamMember,
  },
};
