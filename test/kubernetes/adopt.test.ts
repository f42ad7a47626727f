// Objects imported from Terraform keep what they had: no NIC marks added, Nebari's CRD schema kept; others are untouched.
import { expect, test } from "bun:test";
import type { Actual } from "../../src/engine/types.ts";
import { adoptImported, adoptedUids } from "../../src/kubernetes/adopt.ts";
import { OWNER_LABEL, REPLICATES_ANNOTATION } from "../../src/kubernetes/objects.ts";
import { stage03Resources } from "../../src/kubernetes/stage03.ts";
import { aws } from "./configs.ts";

const desired = stage03Resources(aws(), { clusterAutoscalerRoleArn: "arn:aws:iam::000000000000:role/x", region: "us-west-2" });
const byAddress = (resources: typeof desired, address: string) => resources.find((r) => r.address === address)!.attributes as any;

const DEPLOYMENT = "k8s/deployment/dev/cluster-autoscaler-aws-cluster-autoscaler";
const CRD = "k8s/customresourcedefinition/_cluster/ingressroutes.traefik.containo.us";
const NAMESPACE = "k8s/namespace/_cluster/dev";
const STRICT = { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", required: ["routes"], properties: { routes: { type: "array" } } } } } };

const imported = new Map<string, Actual>([
  [DEPLOYMENT, { id: "uid-deploy", attributes: { metadata: { labels: { [OWNER_LABEL]: "Helm" }, annotations: {} } } }],
  [CRD, { id: "uid-crd", attributes: { spec: { versions: [{ name: "v1alpha1", schema: STRICT }] } } }],
  [NAMESPACE, { id: "uid-ns", attributes: { metadata: { name: "dev", labels: {} } } }],
]);
const adopted = adoptImported(desired, imported);

test("an imported object takes the imported value of NIC's ownership label, or none, and no replicates annotation", () => {
  expect(byAddress(desired, DEPLOYMENT).metadata.labels[OWNER_LABEL]).toBe("nic");
  expect(byAddress(desired, DEPLOYMENT).metadata.annotations[REPLICATES_ANNOTATION]).toBeDefined();
  expect(byAddress(adopted, DEPLOYMENT).metadata.labels[OWNER_LABEL]).toBe("Helm");
  expect(byAddress(adopted, DEPLOYMENT).metadata.annotations[REPLICATES_ANNOTATION]).toBeUndefined();
  expect(byAddress(adopted, NAMESPACE).metadata.labels).toEqual({});
  // The rest of the object is what NIC wants.
  expect(byAddress(adopted, DEPLOYMENT).spec).toEqual(byAddress(desired, DEPLOYMENT).spec);
});

test("an imported CRD keeps the schema it had; NIC's own CRDs keep NIC's", () => {
  expect(byAddress(adopted, CRD).spec.versions[0].schema).toEqual(STRICT);
  const other = "k8s/customresourcedefinition/_cluster/middlewares.traefik.containo.us";
  expect(byAddress(adopted, other)).toEqual(byAddress(desired, other));
  expect(byAddress(desired, CRD).spec.versions[0].schema).not.toEqual(STRICT);
});

test("objects not imported are returned unchanged, and the desired list is not mutated", () => {
  const untouched = desired.filter((r) => !imported.has(r.address));
  expect(untouched.length).toBeGreaterThan(5);
  for (const r of untouched) expect(adopted.find((a) => a.address === r.address)).toBe(r);
  expect(byAddress(desired, NAMESPACE).metadata.labels[OWNER_LABEL]).toBe("nic");
});

test("the adopted uids are the imported objects' ids", () => {
  expect([...adoptedUids(imported)].sort()).toEqual(["uid-crd", "uid-deploy", "uid-ns"]);
});
