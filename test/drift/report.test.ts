// The pure parts of drift: the §6.5 document, the diff listing, and accept's edit of the state.
import { describe, expect, test } from "bun:test";
import { acceptDrift } from "../../src/drift/accept.ts";
import type { Detection } from "../../src/drift/detect.ts";
import { ignoredFields } from "../../src/drift/detect.ts";
import { differences, driftDocument, groupAndName, renderDetect, renderDiff, type PhaseDrift } from "../../src/drift/report.ts";
import { drift } from "../../src/engine/diff.ts";
import { ref } from "../../src/engine/refs.ts";
import type { Actual, Tracked } from "../../src/engine/types.ts";
import { newState } from "../../src/state/format.ts";

const nodeGroup: Tracked = {
  address: "aws/eks_node_group/general",
  kind: "aws/eks_node_group",
  id: "nic-dev/general",
  attributes: { scaling: { min_size: 1, desired_size: 1, max_size: 5 }, tags: { Project: "nic" } },
};
const vpc: Tracked = { address: "aws/vpc/main", kind: "aws/vpc", id: "vpc-1", attributes: { cidr_block: "10.10.0.0/16", tags: { Project: "nic" } } };
const namespace: Tracked = { address: "k8s/namespace/_cluster/dev", kind: "k8s/namespace", id: "dev", attributes: { metadata: { name: "dev" } } };
const crd: Tracked = { address: "k8s/customresourcedefinition/_cluster/x.traefik.containo.us", kind: "k8s/customresourcedefinition", id: "x", attributes: { spec: { group: "traefik.containo.us" } } };

const IGNORE = ignoredFields([]);

function detection(): Detection {
  const cloudActual = new Map<string, Actual>([
    [vpc.address, { id: "vpc-1", attributes: { cidr_block: "10.10.0.0/16", tags: { "aws:cloudformation:stack-name": "x" } } }],
    [nodeGroup.address, { id: "nic-dev/general", attributes: { scaling: { min_size: 1, desired_size: 3, max_size: 10 }, tags: { Project: "nic" } } }],
  ]);
  const kubeActual = new Map<string, Actual>([[namespace.address, { id: "dev", attributes: namespace.attributes }]]);
  const added = [{ address: "k8s/namespace/_cluster/staging", kind: "k8s/namespace" }];
  const phases: PhaseDrift[] = [
    { name: "cloud", report: drift([vpc, nodeGroup], cloudActual, { ignoreFields: IGNORE }) },
    { name: "kubernetes", report: drift([namespace, crd], kubeActual, { ignoreFields: IGNORE, added }) },
  ];
  return { phases, actual: new Map([...cloudActual, ...kubeActual]), desired: new Map() };
}

describe("the §6.5 drift document", () => {
  const doc = driftDocument(detection().phases);

  test("groups resources by kind and name, with field, state_value and actual_value per difference", () => {
    expect(doc.has_drift).toBe(true);
    expect(doc.cloud.eks_node_group!.general).toEqual({ drift: true, status: "drifted", differences: [{ field: "scaling.max_size", state_value: 5, actual_value: 10 }] });
    expect(doc.cloud.vpc!.main).toEqual({ drift: true, status: "drifted", differences: [{ field: "tags.Project", state_value: "nic", actual_value: null }] });
    expect(doc.kubernetes.namespace).toEqual({
      dev: { drift: false, status: "in-sync", differences: [] },
      staging: { drift: true, status: "added", reason: "exists in cluster but not in state", differences: [] },
    });
    expect(doc.kubernetes.customresourcedefinition!["x.traefik.containo.us"]).toMatchObject({ drift: true, status: "removed", reason: "in state but gone from the cluster" });
  });

  test("ignored fields (autoscaler desired_size, aws:* tags) are listed apart, never as drift", () => {
    expect(doc.ignored).toEqual([
      { address: "aws/eks_node_group/general", phase: "cloud", field: "scaling.desired_size", state_value: 1, actual_value: 3 },
      { address: "aws/vpc/main", phase: "cloud", field: 'tags["aws:cloudformation:stack-name"]', state_value: null, actual_value: "x" },
    ]);
  });

  test("the summary adds both phases up", () => {
    expect(doc.summary).toEqual({ total_resources: 4, drifted_resources: 2, added_resources: 1, removed_resources: 1 });
  });

  test("text: one line per drifted resource and its fields, the ignored ones apart", () => {
    const text = renderDetect(doc);
    expect(text).toContain("~ cloud eks_node_group general");
    expect(text).toContain("scaling.max_size: state 5, actual 10");
    expect(text).toContain("+ kubernetes namespace staging  (exists in cluster but not in state)");
    expect(text).toContain("Ignored (owned by the autoscaler or AWS; --include-ignored reports them): 2");
    expect(text).toContain("Drift detected: 2 drifted, 1 added, 1 removed, of 4 resources in state.");
  });

  test("a clean report says so", () => {
    const clean = driftDocument([{ name: "cloud", report: drift([vpc], new Map([[vpc.address, { id: "vpc-1", attributes: vpc.attributes }]])) }]);
    expect(clean.has_drift).toBe(false);
    expect(renderDetect(clean)).toBe("No drift: 0 drifted, 0 added, 0 removed, of 1 resources in state.");
  });

  test("addresses map to kind and name; namespaced Kubernetes objects keep their namespace", () => {
    expect(groupAndName("k8s/deployment/dev/cluster-autoscaler")).toEqual(["deployment", "dev/cluster-autoscaler"]);
    expect(groupAndName("aws/subnet/0")).toEqual(["subnet", "0"]);
  });
});

describe("drift diff", () => {
  test("lists exact values, state on the - side and the cloud on the + side", () => {
    const { phases } = detection();
    expect(renderDiff(phases).split("\n")).toEqual([
      "--- state",
      "+++ actual",
      "@@ aws/eks_node_group/general @@",
      "-scaling.max_size: 5",
      "+scaling.max_size: 10",
      "@@ aws/vpc/main @@",
      '-tags.Project: "nic"',
      "+tags.Project: (none)",
      "@@ k8s/customresourcedefinition/_cluster/x.traefik.containo.us @@",
      "-(the whole resource: in state, gone from the cluster)",
      "@@ k8s/namespace/_cluster/staging @@",
      "+(the whole resource: exists, not in state)",
    ]);
    expect(differences(phases).changed.map((d) => `${d.address} ${d.field}`)).toEqual(["aws/eks_node_group/general scaling.max_size", "aws/vpc/main tags.Project"]);
  });
});

describe("drift accept", () => {
  function stateOf(...tracked: Tracked[]) {
    const state = newState({ provider: "aws", projectName: "nic", region: "us-west-2" });
    for (const t of tracked) {
      state.resources[t.address] = { kind: t.kind.split("/")[1]!, provider_id: t.id, attributes: structuredClone(t.attributes), depends_on: [], imported_from_terraform: false, created_at: "", updated_at: "" };
    }
    return state;
  }

  test("takes the actual value of each drifted field, forgets removed resources, leaves unwanted objects alone", () => {
    const state = stateOf(vpc, nodeGroup, namespace, crd);
    const accepted = acceptDrift(state, detection());
    expect(accepted).toEqual({ updated: ["aws/eks_node_group/general", "aws/vpc/main"], forgotten: [crd.address], recorded: [], left: ["k8s/namespace/_cluster/staging"] });
    expect(state.resources["aws/eks_node_group/general"]!.attributes).toEqual({ scaling: { min_size: 1, desired_size: 1, max_size: 10 }, tags: { Project: "nic" } });
    expect(state.resources["aws/vpc/main"]!.attributes).toEqual({ cidr_block: "10.10.0.0/16", tags: {} });
    expect(state.resources[crd.address]).toBeUndefined();
    // The same detection against the accepted state finds nothing but the object NIC does not want.
    const again = driftDocument([
      { name: "cloud", report: drift([vpc, nodeGroup].map((t) => ({ ...t, attributes: state.resources[t.address]!.attributes })), detection().actual, { ignoreFields: IGNORE }) },
    ]);
    expect(again.has_drift).toBe(false);
  });

  test("records a wanted resource found untracked, with its dependencies", () => {
    const state = stateOf(vpc);
    const subnet = { address: "aws/subnet/0", kind: "aws/subnet", attributes: { vpc_id: ref("aws/vpc/main") } };
    const found: Actual = { id: "subnet-1", attributes: { vpc_id: "vpc-1" } };
    const d: Detection = {
      phases: [{ name: "cloud", report: drift([vpc], new Map([[vpc.address, { id: "vpc-1", attributes: vpc.attributes }]]), { added: [{ address: subnet.address, kind: subnet.kind }] }) }],
      actual: new Map([[subnet.address, found]]),
      desired: new Map([[subnet.address, subnet]]),
    };
    expect(acceptDrift(state, d).recorded).toEqual(["aws/subnet/0"]);
    expect(state.resources["aws/subnet/0"]).toMatchObject({ kind: "subnet", provider_id: "subnet-1", attributes: { vpc_id: "vpc-1" }, depends_on: ["aws/vpc/main"] });
  });
});

test("ignored fields per kind: the defaults plus what desired resources leave to others", () => {
  const fields = ignoredFields([{ address: "aws/subnet/0", kind: "aws/subnet", attributes: {}, ignoreFields: ["availability_zone"] }]);
  expect(fields["aws/eks_node_group"]).toEqual(["scaling.desired_size"]);
  expect(fields["aws/eks_cluster"]).toEqual(["platform_version"]);
  expect(fields["aws/subnet"]).toEqual(["availability_zone"]);
});
