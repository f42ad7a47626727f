// Terraform state → NIC addresses: the genuine AWS example, old Nebari releases, GCP, Azure (azurerm 3.x), stage 03,
// and a round trip through the AWS provider's own list of Terraform addresses.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { desiredResources, TERRAFORM_ADDRESSES } from "../../src/providers/aws/desired.ts";
import { mapState, type Mapping } from "../../src/terraform/map.ts";
import { AWS_RULES } from "../../src/terraform/maps/aws.ts";
import { AZURE_RULES, azurermV4 } from "../../src/terraform/maps/azure.ts";
import { GCP_RULES } from "../../src/terraform/maps/gcp.ts";
import { KUBERNETES_RULES } from "../../src/terraform/maps/kubernetes.ts";
import { parseTerraformState, type TerraformResource, type TerraformState } from "../../src/terraform/tfstate.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/tfstate");
const load = (name: string) => parseTerraformState(readFileSync(join(FIXTURES, name), "utf8"), name);
const ctx = { namespace: "dev" };
const byAddress = (m: Mapping) => new Map(m.mapped.map((r) => [r.address, r]));

describe("the genuine AWS state (Terraform 1.11.4, aws provider 5.100.0)", () => {
  const m = mapState(load("aws-example.tfstate.json"), AWS_RULES, ctx);
  const found = byAddress(m);

  test("maps the cluster, the network and the node groups to NIC addresses with the ids NIC looks them up by", () => {
    expect(found.get("aws/eks_cluster/main")).toMatchObject({ terraform: "module.kubernetes.aws_eks_cluster.main", id: "nic-dev", arn: expect.stringContaining(":cluster/nic-dev") });
    expect(found.get("aws/vpc/main")?.id).toBe("vpc-064f6e4848292f1e9");
    expect(found.get("aws/subnet/1")).toMatchObject({ terraform: "module.network[0].aws_subnet.main[1]", id: "subnet-05ef0e9c888c7e918" });
    expect(found.get("aws/eks_node_group/general")).toMatchObject({ terraform: "module.kubernetes.aws_eks_node_group.main[0]", id: "nic-dev/general" });
    expect(found.get("aws/eks_node_group/user")?.terraform).toBe("module.kubernetes.aws_eks_node_group.user");
    expect(found.get("aws/eks_addon/coredns")?.id).toBe("nic-dev/coredns");
    expect(found.get("aws/route_table_association/0")?.attributes).toEqual({ route_table_id: "rtb-0d203033252bb6b97", subnet_id: "subnet-0999ba5750dbd2ee7" });
    expect(found.get("aws/efs_mount_target/1")?.attributes).toMatchObject({ file_system_id: "fs-0e4116922da036836" });
  });

  test("every instance is accounted for: mapped, skipped (data sources) or unmanaged", () => {
    const state = load("aws-example.tfstate.json");
    const instances = state.resources.reduce((n, r) => n + r.instances.length, 0);
    expect(m.mapped.length + m.skipped.length + m.unmanaged.length).toBe(instances);
    expect(m.skipped.every((s) => s.includes("data."))).toBe(true);
    expect(m.unmanaged.map((u) => u.terraform).sort()).toEqual([
      "module.kubernetes.aws_iam_role_policy_attachment.node-group-policy[3]",
      'module.kubernetes.aws_launch_template.main["user"]',
    ]);
  });

  test("policy attachments are keyed by policy, so the release (R) order with the autoscaling policy at index 3 maps right", () => {
    expect(found.get("aws/iam_role_policy_attachment/node-group-policy-3")).toMatchObject({
      terraform: "module.kubernetes.aws_iam_role_policy_attachment.node-group-policy[4]",
      id: "nic-dev-eks-node-group-role/arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      history: expect.stringContaining("index 4"),
    });
    expect(m.unmanaged[0]!.reason).toContain("autoscaling policy");
  });

  test("module.efs without [0] and Amazon Linux 2 node groups are recognised as older Nebari", () => {
    expect(found.get("aws/efs_file_system/main")?.history).toContain("2024.9.1");
    expect(found.get("aws/eks_node_group/general")?.history).toContain("AL2023_x86_64_STANDARD");
    expect(found.get("aws/vpc/main")?.history).toBeUndefined();
  });
});

describe("older and other states", () => {
  test("tainted instances are imported with a note; deposed objects and instances without an id are unmanaged", () => {
    const state = load("aws-example.tfstate.json");
    const vpc = state.resources.find((r) => r.type === "aws_vpc")!;
    vpc.instances[0]!.status = "tainted";
    vpc.instances.push({ ...vpc.instances[0]!, deposed: "00000001", status: undefined });
    state.resources.find((r) => r.type === "aws_internet_gateway")!.instances[0]!.attributes.id = null;
    const m = mapState(state, AWS_RULES, ctx);
    expect(byAddress(m).get("aws/vpc/main")?.history).toContain("tainted");
    expect(m.mapped.filter((r) => r.address === "aws/vpc/main")).toHaveLength(1);
    expect(m.unmanaged.map((u) => u.reason).join()).toContain("deposed object (00000001)");
    expect(m.unmanaged.map((u) => u.terraform)).toContain("module.network[0].aws_internet_gateway.main");
  });

  test("Nebari 2023: module.network without [0]; a local_file is skipped, an unknown resource is unmanaged", () => {
    const m = mapState(load("aws-2023-era.tfstate.json"), AWS_RULES, ctx);
    const found = byAddress(m);
    expect(found.get("aws/subnet/0")).toMatchObject({ terraform: "module.network.aws_subnet.main[0]", history: expect.stringContaining("2023.10.1") });
    expect(m.skipped).toContain('local_file.kubeconfig[0]');
    expect(m.unmanaged.map((u) => u.terraform)).toContain("module.kubernetes.aws_cloudwatch_log_group.custom");
    expect(found.get("aws/eks_node_group/worker")?.facts).toEqual({ node_groups: [{ name: "worker", instance: "m5.xlarge", min: 0, max: 5 }] });
  });

  test("GCP before 2025.2.1: the Container Registry maps to the Artifact Registry repository, IAM members by role", () => {
    const m = mapState(load("gcp-2024-era.tfstate.json"), GCP_RULES, ctx);
    const found = byAddress(m);
    expect(found.get("gcp/artifact_registry_repository/jupyterhub")?.history).toContain("google_container_registry");
    expect(found.get("gcp/container_node_pool/user")?.facts?.node_groups).toEqual([{ name: "user", instance: "e2-standard-4", min: 0, max: 5 }]);
    expect(found.get("gcp/project_iam_member/storage.admin")?.id).toContain("roles/storage.admin");
    expect(found.get("gcp/service_account/main")?.id).toBe("gcpd-dev@proj.iam.gserviceaccount.com");
    expect(m.unmanaged).toEqual([]);
  });

  test("Azure written by azurerm 3.x: node pools by name, 3.x attribute names read as 4.x", () => {
    const m = mapState(load("azure-azurerm3.tfstate.json"), AZURE_RULES, ctx);
    const found = byAddress(m);
    expect([...found.keys()].sort()).toEqual(["azure/container_registry/main", "azure/kubernetes_cluster/main", "azure/kubernetes_cluster_node_pool/user", "azure/kubernetes_cluster_node_pool/worker", "azure/resource_group/main"]);
    expect(found.get("azure/kubernetes_cluster/main")?.facts).toEqual({ kubernetes_version: "1.29", node_groups: [{ name: "general", instance: "Standard_D8_v3", min: 1, max: 1 }] });
    expect(azurermV4({ enable_auto_scaling: true, enable_https_traffic_only: false })).toEqual({ auto_scaling_enabled: true, https_traffic_only_enabled: false });
    expect(azurermV4({ enable_auto_scaling: true, auto_scaling_enabled: false })).toEqual({ auto_scaling_enabled: false });
  });

  test("stage 03: the namespace, the autoscaler chart's objects, nine Traefik CRDs and the external registry objects", () => {
    const m = mapState(load("stage03-aws.tfstate.json"), KUBERNETES_RULES, ctx);
    const addresses = m.mapped.map((r) => r.address);
    expect(addresses).toContain("k8s/namespace/_cluster/dev");
    expect(addresses).toContain("k8s/deployment/dev/cluster-autoscaler-aws-cluster-autoscaler");
    expect(addresses).toContain("k8s/serviceaccount/dev/cluster-autoscaler");
    expect(addresses.filter((a) => a.startsWith("k8s/customresourcedefinition/"))).toHaveLength(9);
    expect(addresses).toContain("k8s/customresourcedefinition/_cluster/traefikservices.traefik.containo.us");
    expect(addresses).toContain("k8s/cronjob/dev/extcr-cred-updater");
    expect(addresses).toContain("k8s/secret/dev/customer-extcr-key");
    expect(m.skipped).toEqual(["data.aws_eks_cluster.default"]);
  });
});

/** A state Nebari's current templates would write for `desired`, built from the AWS provider's own address list. */
function currentNebariState(desired: ReturnType<typeof desiredResources>, nodeGroups: string[]): TerraformState {
  const resources: TerraformResource[] = [];
  for (const r of desired) {
    const [, kind, name] = r.address.split("/");
    const pattern = Object.entries(TERRAFORM_ADDRESSES).find(([nic]) => {
      const [, k, n] = nic.split("/");
      return k === kind && (n === name || (n!.includes("<") && new RegExp(`^${n!.replace(/<i>|<name>/, ".+")}$`).test(name!)));
    });
    if (!pattern || !pattern[1]) continue;
    const index = /-?(\d+)$/.exec(name!)?.[1] ?? String(nodeGroups.indexOf(name!));
    const tf = pattern[1].replace("<i>", index);
    const parsed = /^((?:module\.[^.]+?(?:\[\d+\])?\.)*)([a-z0-9_]+)\.([^.[]+)(?:\[(\d+)\])?$/.exec(tf)!;
    const scalars = Object.fromEntries(Object.entries(r.attributes).filter(([, v]) => typeof v === "string"));
    resources.push({
      mode: "managed",
      ...(parsed[1] ? { module: parsed[1].replace(/\.$/, "") } : {}),
      type: parsed[2]!,
      name: parsed[3]!,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ ...(parsed[4] !== undefined ? { index_key: Number(parsed[4]) } : {}), schema_version: 0, attributes: { id: `id-of-${r.address}`, ...scalars } }],
    });
  }
  return { version: 4, terraform_version: "1.11.4", serial: 1, lineage: "x", outputs: {}, resources };
}

test("every stage-02 resource the AWS provider wants is found again from Nebari's current Terraform addresses", () => {
  const loaded = loadConfig(join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml"), { env: {} });
  const desired = desiredResources(loaded.config);
  const m = mapState(currentNebariState(desired, loaded.config.amazon_web_services!.node_groups.map((g) => g.name)), AWS_RULES, ctx);
  // Nebari's post_deploy tags the Auto Scaling groups with boto3: those have no Terraform address.
  const inTerraform = desired.filter((r) => r.kind !== "aws/autoscaling_group_tags");
  expect(inTerraform.length).toBeGreaterThan(30);
  expect(m.unmanaged).toEqual([]);
  expect(m.mapped.map((r) => r.address).sort()).toEqual(inTerraform.map((r) => r.address).sort());
  expect(m.mapped.every((r) => !r.history)).toBe(true);
});
