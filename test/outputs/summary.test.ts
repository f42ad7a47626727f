// outputs.json's summary section (design document §7.4) on clouds without AWS's ARNs: null, never an empty string.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { buildOutputs } from "../../src/outputs/outputs.ts";
import type { ClusterOutputs } from "../../src/outputs/types.ts";

const CONFIGS = join(import.meta.dir, "../../fixtures/configs");

function cluster(arn: string, iam: ClusterOutputs["iam"]): ClusterOutputs {
  return {
    cluster: { name: "c", endpoint: "https://127.0.0.1:1", ca_certificate_pem: "PEM", version: "1.33", oidc_issuer_url: "https://issuer", arn },
    networking: { vpc_id: null, subnet_ids: [], security_group_id: null },
    node_groups: [],
    storage: { type: "standard", nfs_endpoint: null, efs_id: null },
    iam,
  };
}

test("a cloud without ARNs gets null in the summary, and its stage-02 keys stay as they are", () => {
  const { config } = loadConfig(join(CONFIGS, "demo-gcp.yaml"));
  const noArns = { oidc_provider_arn: "", cluster_autoscaler_role_arn: "", cluster_role_arn: "", node_role_arn: "sa@p.iam.gserviceaccount.com" };
  const outputs = buildOutputs({ config, cluster: cluster("", noArns), kubeconfigPath: "/k", token: "t", namespaces: ["dev"] });
  expect(outputs.cluster.arn).toBeNull();
  expect(outputs.iam).toEqual({ cluster_role_arn: null, node_role_arn: "sa@p.iam.gserviceaccount.com", oidc_provider_arn: null });
  expect(outputs.kubernetes.service_accounts).toEqual({});
  expect(outputs.networking.vpc_cidr).toBeNull();
  expect("oidc_provider_arn" in outputs).toBe(false);
});

test("AWS keeps every ARN it has", () => {
  const { config } = loadConfig(join(CONFIGS, "demo-aws.yaml"));
  const iam = { oidc_provider_arn: "arn:o", cluster_autoscaler_role_arn: "arn:a", cluster_role_arn: "arn:c", node_role_arn: "arn:n" };
  const outputs = buildOutputs({ config, cluster: cluster("arn:cluster", iam), kubeconfigPath: "/k", token: "t", namespaces: ["dev"] });
  expect(outputs.cluster.arn).toBe("arn:cluster");
  expect(outputs.iam).toEqual({ cluster_role_arn: "arn:c", node_role_arn: "arn:n", oidc_provider_arn: "arn:o" });
  expect(outputs.oidc_provider_arn).toEqual({ value: "arn:o" });
});
