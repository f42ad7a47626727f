// The five provider blocks: aliases, Nebari's validators and defaults, and the design document's extensions.
import { DEFAULT_NODE_SELECTORS, DEFAULT_VPC_CIDR, defaultNodeGroups } from "./defaults.ts";
import { checkKubernetesVersion, type CloudProvider } from "./kubernetes-versions.ts";
import type { AwsConfig, AzureConfig, GcpConfig, KubeContextConfig, StorageType } from "./model.ts";
import { describe, type Path } from "./problems.ts";
import { checkRegion, checkZones } from "./regions.ts";
import { baseNodeGroup, checkKeys, isMapping, nodeGroupEntries, note, validateShape, versionText, type Ctx, type Obj } from "./sections.ts";

/** The design document's `storage:` inside a provider block, mapped onto Nebari's top-level `storage`. */
export interface ProviderStorage {
  type: StorageType;
  shared_filesystem?: string;
}

export function awsBlock(block: Obj, path: Path, ctx: Ctx): AwsConfig | undefined {
  checkKeys(block, path, "amazon_web_services", ctx);
  if (!("kubernetes_version" in block)) {
    ctx.problems.error([...path, "kubernetes_version"], "is required (write `kubernetes_version: null` for the latest EKS version)");
    return undefined;
  }
  versionText(block, "kubernetes_version", path, ctx);
  if (!validateShape(block, path, "amazon_web_services", ctx)) return undefined;
  const version = resolveVersion("aws", block.kubernetes_version as string | null, [...path, "kubernetes_version"], ctx);
  const region = checkRegion("aws", block.region as string, [...path, "region"], ctx);
  const zones = block.availability_zones as string[] | null | undefined;
  if (zones) checkZones("aws", region, zones, [...path, "availability_zones"], ctx);
  if (zones && zones.length === 1) ctx.problems.warn([...path, "availability_zones"], "has one zone; Nebari then uses the first two zones of the region instead");

  const node_groups = nodeGroupEntries(block.node_groups, defaultNodeGroups("aws"), [...path, "node_groups"], "aws_node_group", ctx).map(({ name, group, path: at }) => {
    if (group.disk_size !== undefined) {
      note(ctx, [...at, "disk_size"], `NIC extension: EKS disk size ${group.disk_size} GiB (Nebari always uses 50)`);
      ctx.problems.extension([...at, "disk_size"], "EKS disk size");
    }
    if (group.labels !== undefined) {
      note(ctx, [...at, "labels"], "NIC extension: extra node labels, added beside Nebari's dedicated=<group>");
      ctx.problems.extension([...at, "labels"], "extra node labels");
    }
    return {
      ...baseNodeGroup(name, group, at, ctx),
      gpu: (group.gpu as boolean | undefined) ?? false,
      single_subnet: (group.single_subnet as boolean | undefined) ?? false,
      spot: (group.spot as boolean | undefined) ?? false,
      permissions_boundary: (group.permissions_boundary as string | null | undefined) ?? null,
      disk_size: (group.disk_size as number | undefined) ?? null,
      labels: (group.labels as Record<string, string> | undefined) ?? {},
    };
  });
  if (block.existing_subnet_ids && !block.existing_security_group_id) {
    ctx.problems.warn([...path, "existing_subnet_ids"], "is set without existing_security_group_id; Nebari then still creates a new VPC");
  }
  return {
    region,
    kubernetes_version_requested: block.kubernetes_version as string | null,
    kubernetes_version: version,
    availability_zones: zones ?? null,
    node_groups,
    eks_endpoint_access: (block.eks_endpoint_access as AwsConfig["eks_endpoint_access"] | undefined) ?? "public",
    eks_public_access_cidrs: (block.eks_public_access_cidrs as string[] | undefined) ?? ["0.0.0.0/0"],
    eks_kms_arn: (block.eks_kms_arn as string | null | undefined) ?? null,
    existing_subnet_ids: (block.existing_subnet_ids as string[] | null | undefined) ?? null,
    existing_security_group_id: (block.existing_security_group_id as string | null | undefined) ?? null,
    vpc_cidr_block: (block.vpc_cidr_block as string | undefined) ?? DEFAULT_VPC_CIDR,
    permissions_boundary: (block.permissions_boundary as string | null | undefined) ?? null,
    tags: (block.tags as Record<string, string> | undefined) ?? {},
  };
}

const GCP_STRING_FIELDS = ["region", "project", "kubernetes_version", "release_channel", "networking_mode", "network", "subnetwork"];

export function gcpBlock(block: Obj, path: Path, ctx: Ctx): GcpConfig | undefined {
  if ("zone" in block) {
    // The design document's single `zone` becomes Nebari's zone list.
    if ("availability_zones" in block) ctx.problems.error([...path, "zone"], "is given together with availability_zones; keep availability_zones");
    else {
      block.availability_zones = [block.zone];
      ctx.renamed([...path, "availability_zones"], "zone");
      ctx.problems.nebariRejects([...path, "zone"], "is the design document's spelling; the canonical Nebari key is availability_zones (a list)", { hint: "Write availability_zones: [<zone>]" });
    }
    delete block.zone;
  }
  checkKeys(block, path, "google_cloud_platform", ctx);
  if (!("kubernetes_version" in block)) {
    ctx.problems.error([...path, "kubernetes_version"], "is required (for example '1.33')");
    return undefined;
  }
  versionText(block, "kubernetes_version", path, ctx);
  // Nebari's GCP model coerces numbers to strings (coerce_numbers_to_str).
  for (const key of GCP_STRING_FIELDS) if (typeof block[key] === "number") block[key] = ctx.sourceText([...path, key]) ?? String(block[key]);
  if (!validateShape(block, path, "google_cloud_platform", ctx)) return undefined;
  const version = resolveVersion("gcp", block.kubernetes_version as string, [...path, "kubernetes_version"], ctx);
  const region = checkRegion("gcp", block.region as string, [...path, "region"], ctx);
  if (block.availability_zones) checkZones("gcp", region, block.availability_zones as string[], [...path, "availability_zones"], ctx);

  const node_groups = nodeGroupEntries(block.node_groups, defaultNodeGroups("gcp"), [...path, "node_groups"], "gcp_node_group", ctx).map(({ name, group, path: at }) => ({
    ...baseNodeGroup(name, group, at, ctx),
    preemptible: (group.preemptible as boolean | undefined) ?? false,
    labels: (group.labels as Record<string, string> | undefined) ?? {},
    guest_accelerators: ((group.guest_accelerators as { name: string; count?: number }[] | undefined) ?? []).map((a) => ({ name: a.name, count: a.count ?? 1 })),
  }));
  return {
    region,
    project: block.project as string,
    kubernetes_version: version,
    availability_zones: (block.availability_zones as string[] | undefined) ?? [],
    release_channel: (block.release_channel as string | undefined) ?? "UNSPECIFIED",
    node_groups,
    tags: (block.tags as string[] | undefined) ?? [],
    networking_mode: (block.networking_mode as string | undefined) ?? "ROUTE",
    network: (block.network as string | undefined) ?? "default",
    subnetwork: (block.subnetwork as string | null | undefined) ?? null,
    ip_allocation_policy: (block.ip_allocation_policy as Record<string, string> | null | undefined) ?? null,
    master_authorized_networks_config: (block.master_authorized_networks_config as GcpConfig["master_authorized_networks_config"] | undefined) ?? null,
    private_cluster_config: (block.private_cluster_config as GcpConfig["private_cluster_config"] | undefined) ?? null,
  };
}

export function azureBlock(block: Obj, path: Path, ctx: Ctx): AzureConfig | undefined {
  checkKeys(block, path, "azure", ctx);
  versionText(block, "kubernetes_version", path, ctx);
  if (!validateShape(block, path, "azure", ctx)) return undefined;
  if (!("kubernetes_version" in block)) {
    ctx.problems.warn([...path, "kubernetes_version"], "is not set; Nebari would leave it unset and fail at deploy, NIC uses the latest AKS version", { hint: "Write kubernetes_version: null to say so" });
  }
  if (block.storage_account_postfix === undefined) {
    // A warning, not an error, only because the design document's Azure example (§7.5) leaves it out.
    ctx.problems.nebariRejects([...path, "storage_account_postfix"], "is missing; Nebari requires it (stage 01 names its state storage account with it). NIC accepts its absence only because the design document's Azure example (§7.5) omits it", {
      hint: "Add 4 random [a-z0-9] characters, as `nebari init` does",
    });
  } else if (!/^[a-z0-9]{1,24}$/.test(block.storage_account_postfix as string)) {
    ctx.problems.error([...path, "storage_account_postfix"], "must be lowercase letters and digits: it becomes part of an Azure storage account name", { found: describe(block.storage_account_postfix) });
  }
  const rg = block.resource_group_name as string | null | undefined;
  if (rg) {
    const full = `${rg}-node-resource-group`;
    if (full.length > 90 || !/^[\w\-.()]+$/.test(rg) || rg.endsWith(".")) {
      ctx.problems.error([...path, "resource_group_name"], "must be letters, digits, _ - . ( ), not end with '.', and leave room for '-node-resource-group' within 90 characters", { found: JSON.stringify(rg) });
    }
  }
  for (const [name, value] of Object.entries((block.tags as Record<string, string> | undefined) ?? {})) {
    if (/[<>%&\\?/]/.test(name) || name.length > 512 || value.length > 256) {
      ctx.problems.error([...path, "tags", name], "Azure tag names cannot contain < > % & \\ ? / and are at most 512 characters; values at most 256");
    }
  }
  const region = checkRegion("azure", block.region as string, [...path, "region"], ctx);
  const version = resolveVersion("azure", (block.kubernetes_version as string | null | undefined) ?? null, [...path, "kubernetes_version"], ctx);
  const groups = nodeGroupEntries(block.node_groups, defaultNodeGroups("azure"), [...path, "node_groups"], "azure_node_group", ctx);
  return {
    region,
    kubernetes_version_requested: (block.kubernetes_version as string | null | undefined) ?? null,
    kubernetes_version: version,
    storage_account_postfix: (block.storage_account_postfix as string | undefined) ?? null,
    authorized_ip_ranges: (block.authorized_ip_ranges as string[] | undefined) ?? ["0.0.0.0/0"],
    resource_group_name: rg ?? null,
    node_groups: groups.map(({ name, group, path: at }) => baseNodeGroup(name, group, at, ctx)),
    vnet_subnet_id: (block.vnet_subnet_id as string | null | undefined) ?? null,
    private_cluster_enabled: (block.private_cluster_enabled as boolean | undefined) ?? false,
    tags: (block.tags as Record<string, string> | undefined) ?? {},
    network_profile: (block.network_profile as Record<string, string> | null | undefined) ?? null,
    max_pods: (block.max_pods as number | null | undefined) ?? null,
    workload_identity_enabled: (block.workload_identity_enabled as boolean | undefined) ?? false,
    azure_policy_enabled: (block.azure_policy_enabled as boolean | null | undefined) ?? null,
  };
}

/** `local` and `existing`: a kube context and the node selectors Nebari's later stages use. */
export function kubeContextBlock(block: Obj, path: Path, ctx: Ctx, provider: "local" | "existing"): KubeContextConfig | undefined {
  const selectors = block.node_selectors;
  if (isMapping(selectors)) {
    for (const [name, selector] of Object.entries(selectors)) {
      // The design document writes `general: {role: general}`; Nebari writes `general: {key: role, value: general}`.
      if (isMapping(selector) && Object.keys(selector).length === 1 && !("key" in selector) && !("value" in selector)) {
        const [[label, value]] = Object.entries(selector) as [[string, unknown]];
        selectors[name] = { key: label, value };
        ctx.problems.nebariRejects([...path, "node_selectors", name], `is written as {${label}: ...}; the canonical Nebari form is {key: ${label}, value: ...}`);
      }
    }
  }
  checkKeys(block, path, "local", ctx);
  if (!validateShape(block, path, "local", ctx)) return undefined;
  const node_selectors = (block.node_selectors as KubeContextConfig["node_selectors"] | undefined) ?? structuredClone(DEFAULT_NODE_SELECTORS);
  const missing = ["general", "user", "worker"].filter((n) => !(n in node_selectors));
  if (missing.length) ctx.problems.warn([...path, "node_selectors"], `has no ${missing.join(", ")} selector; Nebari's later stages expect general, user and worker`);
  if (provider === "existing" && !block.kube_context) {
    ctx.problems.warn([...path, "kube_context"], "is not set; the existing provider needs it at deploy time");
  }
  return { kube_context: (block.kube_context as string | null | undefined) ?? null, node_selectors };
}

/** The design document's provider-level `storage: {type, size, path}`, which has no Nebari equivalent. */
export function providerStorage(raw: unknown, path: Path, provider: string, ctx: Ctx): ProviderStorage | undefined {
  if (!isMapping(raw)) {
    ctx.problems.error(path, "must be a mapping such as {type: ebs, size: 100}");
    return undefined;
  }
  ctx.problems.extension(path, "the design document's provider-level storage");
  checkKeys(raw, path, "provider_storage", ctx);
  if (!validateShape(raw, path, "provider_storage", ctx)) return undefined;
  const kind = String(raw.type ?? "");
  const type: StorageType = kind === "efs" && provider === "aws" ? "efs" : kind === "cephfs" ? "cephfs" : "nfs";
  const meaning = type === "efs" ? "an EFS file system" : type === "cephfs" ? "a Ceph file system" : "Nebari's in-cluster NFS server on the provider's block volumes";
  note(ctx, [...path, "type"], `NIC extension: "${kind || "(unset)"}" means storage.type: ${type} (${meaning})`);
  let shared_filesystem: string | undefined;
  if (raw.size !== undefined) {
    shared_filesystem = typeof raw.size === "number" ? `${raw.size}Gi` : String(raw.size);
    note(ctx, [...path, "size"], `NIC extension: read as storage.shared_filesystem: ${shared_filesystem} (used by Nebari's later stages)`);
  }
  if (raw.path !== undefined) note(ctx, [...path, "path"], "NIC extension: recorded but not used; stages 02/03 do not place storage on host paths");
  return { type, shared_filesystem };
}

function resolveVersion(provider: CloudProvider, requested: string | null, path: Path, ctx: Ctx): string {
  const check = checkKubernetesVersion(provider, requested, ctx.today);
  if (!check.ok) ctx.problems.error(path, check.message!);
  else if (check.warning) ctx.problems.warn(path, check.warning);
  else if (check.unsupported) unsupportedVersion(provider, check.unsupported, path, ctx);
  if (requested === null) note(ctx, path, `null means the latest version NIC knows: ${check.resolved}`);
  return check.resolved ?? String(requested);
}

/** Past extended support: EKS refuses to create such a cluster (an error for a new deployment); GKE and AKS upgrade it themselves. */
function unsupportedVersion(provider: CloudProvider, message: string, path: Path, ctx: Ctx) {
  if (provider !== "aws") return ctx.problems.warn(path, `${message}; ${provider === "gcp" ? "GKE" : "AKS"} upgrades such clusters automatically`);
  const refuses = "EKS refuses to create a cluster of this version or upgrade to it";
  if (ctx.deployment === "new") ctx.problems.error(path, `${message}: ${refuses}`, { hint: "Choose a version in standard support (nic validate lists the warnings per version)" });
  else if (ctx.deployment === "existing") ctx.problems.warn(path, `${message}: ${refuses}; the existing cluster keeps running until AWS upgrades it`);
  else ctx.problems.warn(path, `${message}: ${refuses}, so nic deploy refuses it for a new deployment`, { hint: "Upgrade to a supported version" });
}
