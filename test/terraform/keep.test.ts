// Keep what exists: which differences an import pins, and when a pin stops holding (pure logic; the proof on the
// sandbox is test/terraform/e2e.test.ts, the AL2 layout).
import { expect, test } from "bun:test";
import { plan } from "../../src/engine/plan.ts";
import type { Actual, Resource } from "../../src/engine/types.ts";
import { newState } from "../../src/state/format.ts";
import { keepFromImport, keepFromState, keptValues } from "../../src/terraform/keep.ts";

const group = (ami: string, disk: number, instance = "t3.large"): Resource => ({
  address: "aws/eks_node_group/user",
  kind: "aws/eks_node_group",
  attributes: { ami_type: ami, disk_size: disk, instance_types: [instance] },
  immutableFields: ["ami_type", "disk_size", "instance_types"],
});
const live: Actual = { id: "nic-dev/user", attributes: { ami_type: "AL2_x86_64", disk_size: 20, instance_types: ["t3.large"] } };
const keepable = { "aws/eks_node_group": ["ami_type", "disk_size"] };
const tracked = [{ address: "aws/eks_node_group/user", kind: "aws/eks_node_group", ...live }];

test("an import pins the keepable fields where what exists differs, and the plan is then a no-op that says so", () => {
  const desired = [group("AL2023_x86_64_STANDARD", 50)];
  const first = plan(desired, new Map([["aws/eks_node_group/user", live]]), { resources: tracked });
  expect(first.entries[0]!.action).toBe("replace");
  const kept = keptValues(first.entries, new Map([["aws/eks_node_group/user", live]]), keepable);
  expect(kept).toEqual([
    { address: "aws/eks_node_group/user", field: "ami_type", value: "AL2_x86_64", instead_of: "AL2023_x86_64_STANDARD" },
    { address: "aws/eks_node_group/user", field: "disk_size", value: 20, instead_of: 50 },
  ]);
  const next = plan(keepFromImport(desired, kept), new Map([["aws/eks_node_group/user", live]]), { resources: tracked });
  expect(next.entries[0]).toMatchObject({ action: "no-op", desired: { note: 'kept from import: ami_type "AL2_x86_64" (NIC\'s default: "AL2023_x86_64_STANDARD"), disk_size 20 (NIC\'s default: 50)' } });
});

test("what the configuration says is never pinned: a different instance type stays a change", () => {
  const desired = [group("AL2_x86_64", 20, "t3.xlarge")];
  const first = plan(desired, new Map([["aws/eks_node_group/user", live]]), { resources: tracked });
  expect(keptValues(first.entries, new Map([["aws/eks_node_group/user", live]]), keepable)).toEqual([]);
  // Nor a resource that was not found (created by the next deploy).
  expect(keptValues(first.entries, new Map(), keepable)).toEqual([]);
});

test("a pin holds while the configuration yields NIC's default and the resource keeps the kept value; otherwise it is released", () => {
  const state = newState({ provider: "aws", projectName: "nic", region: "us-west-2" });
  state.resources["aws/eks_node_group/user"] = { kind: "eks_node_group", provider_id: live.id, attributes: live.attributes, imported_from_terraform: true, created_at: state.metadata.created, updated_at: state.metadata.created };
  state.metadata.kept_from_import = [{ address: "aws/eks_node_group/user", field: "disk_size", value: 20, instead_of: 50 }];
  const disk = (rs: Resource[]) => rs[0]!.attributes.disk_size;
  expect(disk(keepFromState([group("AL2023_x86_64_STANDARD", 50)], state))).toBe(20);
  // The user sets disk_size: the configuration's value wins.
  expect(disk(keepFromState([group("AL2023_x86_64_STANDARD", 100)], state))).toBe(100);
  // The group was replaced since (it has 100 now): going back to the default does not bring 20 back.
  state.resources["aws/eks_node_group/user"]!.attributes = { ...live.attributes, disk_size: 100 };
  expect(disk(keepFromState([group("AL2023_x86_64_STANDARD", 50)], state))).toBe(50);
  expect(keepFromState([group("x", 1)], undefined)[0]!.note).toBeUndefined();
});

test("what a newer Nebari added is kept absent when Terraform never had it and nothing is there; never when Terraform recorded it", () => {
  const role: Resource = { address: "aws/iam_role/cluster_autoscaler", kind: "aws/iam_role", attributes: { name: "nic-dev-cluster-autoscaler" } };
  const first = plan([role], new Map(), { resources: [] });
  const keepable = { absent: ["aws/iam_role/cluster_autoscaler"] };
  const kept = keptValues(first.entries, new Map(), keepable, new Set([role.address]));
  expect(kept).toEqual([{ address: role.address, field: "*", value: null, instead_of: null }]);
  expect(keepFromImport([role], kept)).toEqual([]);
  // Recorded by Terraform but gone (missing): a blocker elsewhere, never kept absent.
  expect(keptValues(first.entries, new Map(), keepable, new Set())).toEqual([]);
  // Once the state tracks it (created on purpose later), the pin no longer hides it.
  const state = newState({ provider: "aws", projectName: "nic", region: "us-west-2" });
  state.metadata.kept_from_import = kept;
  expect(keepFromState([role], state)).toEqual([]);
  state.resources[role.address] = { kind: "iam_role", provider_id: "nic-dev-cluster-autoscaler", attributes: role.attributes, imported_from_terraform: false, created_at: state.metadata.created, updated_at: state.metadata.created };
  expect(keepFromState([role], state).map((r) => r.address)).toEqual([role.address]);
});
