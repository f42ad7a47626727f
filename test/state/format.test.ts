// The state document: validation with paths, the v0 → v1 migration, and the secrets guard.
import { describe, expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { FORMAT_VERSION, newState, serializeState, validateState } from "../../src/state/format.ts";
import { parseState } from "../../src/state/migrate.ts";
import { assertNoSecrets, findSecrets } from "../../src/state/secrets.ts";

function thrown(fn: () => unknown): NicError {
  try {
    fn();
  } catch (err) {
    if (err instanceof NicError) return err;
    throw err;
  }
  throw new Error("expected a NicError");
}

const paths = (err: NicError) => (err.details.errors as { path: string }[]).map((p) => p.path);

describe("validation", () => {
  test("a new state round-trips through serialize and parse", () => {
    const state = newState({ provider: "gcp", projectName: "demo", region: "us-central1" });
    expect(parseState(serializeState(state), "x")).toEqual({ state });
  });

  test("every bad field is reported with its path", () => {
    const state = newState({ provider: "aws", projectName: "demo", region: "us-west-2" }) as unknown as Record<string, any>;
    state.serial = -1;
    state.lineage = "not-a-uuid";
    state.metadata.deploy_count = "3";
    state.resources["aws/eks_cluster/main"] = { kind: "vpc", provider_id: "", attributes: [], imported_from_terraform: "yes", created_at: "yesterday", updated_at: "2026-01-01T00:00:00Z" };
    state.resources["not an address"] = { kind: "x", provider_id: "x", attributes: {}, imported_from_terraform: false, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" };
    state.pending_operations = [{ id: "1", address: "aws/eks_cluster/main", operation: "explode", idempotency_token: "t", started_at: "2026-01-01T00:00:00Z" }];
    const err = thrown(() => validateState(state, "test"));
    expect(err.code).toBe("STATE_INVALID");
    expect(paths(err)).toEqual([
      "lineage",
      "serial",
      "metadata.deploy_count",
      'resources["aws/eks_cluster/main"].kind',
      'resources["aws/eks_cluster/main"].provider_id',
      'resources["aws/eks_cluster/main"].attributes',
      'resources["aws/eks_cluster/main"].imported_from_terraform',
      'resources["aws/eks_cluster/main"].created_at',
      'resources["not an address"]',
      'resources["not an address"].kind',
      "pending_operations[0].operation",
    ]);
  });

  test("truncated JSON and unknown format versions are STATE_INVALID", () => {
    const text = serializeState(newState({ provider: "aws", projectName: "demo", region: "r" }));
    expect(thrown(() => parseState(text.slice(0, text.length / 2), "x")).code).toBe("STATE_INVALID");
    const future = thrown(() => parseState(JSON.stringify({ format_version: "7" }), "x"));
    expect(future.code).toBe("STATE_INVALID");
    expect(future.message).toContain('"7"');
  });
});

describe("v0 → v1 migration", () => {
  // Format 0 is the design document's §6.1 shape.
  const v0 = {
    version: "0.9.0",
    format_version: "0",
    provider: "aws",
    project_name: "my-nebari",
    region: "us-west-2",
    imported_from_terraform: true,
    cloud: {
      vpc: { id: "vpc-123", cidr: "10.0.0.0/16" },
      cluster: { name: "my-nebari", id: "my-nebari", arn: "arn:aws:eks:us-west-2:1:cluster/my-nebari", endpoint: "https://abc.eks.amazonaws.com", ca_certificate: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=", version: "1.28" },
      node_groups: [
        { name: "general", arn: "arn:aws:eks:…:nodegroup/general", instance_type: "m5.xlarge", min_size: 1, max_size: 5 },
        { name: "user", arn: "arn:aws:eks:…:nodegroup/user", instance_type: "m5.2xlarge", min_size: 0, max_size: 10 },
      ],
      iam_roles: [{ name: "my-nebari-cluster-role", arn: "arn:aws:iam::1:role/my-nebari-cluster-role" }],
    },
    kubernetes: { namespaces: [{ name: "dev", labels: { "managed-by": "nic" } }], service_accounts: [{ name: "default", namespace: "dev" }] },
    metadata: { created_at: "2025-01-27T10:00:00Z", updated_at: "2025-01-27T15:30:00Z", nic_version: "0.9.0", configuration_hash: "abc", last_successful_deploy: "2025-01-27T15:30:00Z" },
  };

  test("keys every resource by address and keeps IDs, ARNs and attributes", () => {
    const { state, migratedFrom } = parseState(JSON.stringify(v0), "old.json");
    expect(migratedFrom).toBe("0");
    expect(state.format_version).toBe(FORMAT_VERSION);
    expect(Object.keys(state.resources).sort()).toEqual([
      "aws/eks_cluster/main",
      "aws/eks_node_group/general",
      "aws/eks_node_group/user",
      "aws/iam_role/my-nebari-cluster-role",
      "aws/vpc/main",
      "k8s/namespace/dev",
      "k8s/service_account/dev.default",
    ]);
    const cluster = state.resources["aws/eks_cluster/main"]!;
    expect(cluster).toMatchObject({ kind: "eks_cluster", provider_id: "my-nebari", arn: v0.cloud.cluster.arn, imported_from_terraform: true });
    expect(cluster.attributes.ca_certificate).toBe(v0.cloud.cluster.ca_certificate);
    expect(state.resources["aws/eks_node_group/user"]!.attributes.max_size).toBe(10);
    expect(state.metadata).toMatchObject({ created: "2025-01-27T10:00:00Z", configuration_hash: "abc", last_successful_deploy: "2025-01-27T15:30:00Z", deploy_count: 1 });
    expect(state.pending_operations).toEqual([]);
  });

  test("a document without format_version is format 0", () => {
    const { format_version: _, ...unversioned } = v0;
    expect(parseState(JSON.stringify(unversioned), "x").migratedFrom).toBe("0");
  });
});

describe("secrets guard", () => {
  const base = () => newState({ provider: "aws", projectName: "demo", region: "us-west-2" });
  const withAttributes = (attributes: Record<string, unknown>) => {
    const state = base();
    state.resources["aws/eks_cluster/main"] = { kind: "eks_cluster", provider_id: "demo", attributes, imported_from_terraform: false, created_at: state.metadata.created, updated_at: state.metadata.created };
    return state;
  };

  test.each([
    ["AWS secret key", { aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }],
    ["AWS secret key under an access-key name", { access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }],
    ["session token", { note: `IQoJb3JpZ2luX2VjE${"A".repeat(200)}` }],
    ["bearer token", { headers: { Authorization: "Bearer abcdefghijklmnopqrstuvwxyz0123" } }],
    ["JWT", { value: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl" }],
    ["PEM private key", { tls: ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow…\n-----END RSA PRIVATE KEY-----"] }],
    ["base64 PEM private key", { key_data: Buffer.from("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n").toString("base64") }],
    ["password field", { admin_password: "hunter2" }],
    ["access key id", { id: "AKIAIOSFODNN7EXAMPLE" }],
  ])("refuses a state holding a %s", (_, attributes) => {
    const err = thrown(() => assertNoSecrets(withAttributes(attributes), "s3://b/k"));
    expect(err.code).toBe("STATE_INVALID");
    expect(paths(err)[0]).toStartWith('resources.aws/eks_cluster/main.attributes.');
    expect(JSON.stringify(err.details)).not.toContain("hunter2");
  });

  test("allows the cluster CA certificate, ARNs, endpoints and idempotency tokens", () => {
    const ca = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIC5zCCAc+gAwIBAgIBADANBgkqhkiG9w0BAQsFADAV\n-----END CERTIFICATE-----\n").toString("base64");
    const state = withAttributes({ ca_certificate: ca, certificate_authority: { data: ca }, endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com", role_arn: "arn:aws:iam::123456789012:role/x" });
    state.pending_operations.push({ id: "1", address: "aws/eks_cluster/main", operation: "create", idempotency_token: crypto.randomUUID(), started_at: state.metadata.created });
    expect(findSecrets(state)).toEqual([]);
  });
});
