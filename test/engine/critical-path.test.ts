import { expect, test } from "bun:test";
import { criticalPath } from "../../src/engine/critical-path.ts";
import { plan } from "../../src/engine/plan.ts";
import { ref } from "../../src/engine/refs.ts";
import { resource } from "./fake-cloud.ts";

const desired = [
  resource("aws/vpc/main"),
  resource("aws/subnet/a", { vpc_id: ref("aws/vpc/main") }),
  resource("aws/subnet/b", { vpc_id: ref("aws/vpc/main") }),
  resource("aws/eks_cluster/main", { subnets: [ref("aws/subnet/a"), ref("aws/subnet/b")] }),
  resource("aws/eks_node_group/general", { cluster: ref("aws/eks_cluster/main") }),
  resource("aws/ecr_repository/jupyterlab"),
];

test("the critical path is the longest dependency chain", () => {
  const path = criticalPath(plan(desired, new Map(), { resources: [] }), 50);
  expect(path.cost).toBe(200);
  expect(path.steps.map((s) => s.address)).toEqual(["aws/vpc/main", "aws/subnet/a", "aws/eks_cluster/main", "aws/eks_node_group/general"]);
});

test("per-step costs can make a shorter chain the critical one", () => {
  const slowRepo = (s: { kind: string }) => (s.kind === "aws/ecr_repository" ? 1000 : 50);
  const path = criticalPath(plan(desired, new Map(), { resources: [] }), slowRepo);
  expect(path).toEqual({ cost: 1000, steps: [{ address: "aws/ecr_repository/jupyterlab", operation: "create" }] });
});

test("kinds the cloud runs one at a time are chained in plan order", () => {
  const pools = [...desired, resource("aws/eks_node_group/user", { cluster: ref("aws/eks_cluster/main") })];
  const p = plan(pools, new Map(), { resources: [] });
  expect(criticalPath(p, 50).cost).toBe(200);
  const serial = criticalPath(p, 50, { oneAtATime: new Set(["aws/eks_cluster", "aws/eks_node_group"]) });
  expect(serial.cost).toBe(250);
  expect(serial.steps.map((s) => s.address)).toEqual(["aws/vpc/main", "aws/subnet/a", "aws/eks_cluster/main", "aws/eks_node_group/general", "aws/eks_node_group/user"]);
});

test("a replacement counts its delete and its create", () => {
  const repo = resource("aws/ecr_repository/jupyterlab", { name: "b" }, { immutableFields: ["name"] });
  const p = plan([repo], new Map([[repo.address, { id: "r", attributes: { name: "a" } }]]), { resources: [] });
  expect(criticalPath(p, 10)).toEqual({
    cost: 20,
    steps: [
      { address: repo.address, operation: "delete" },
      { address: repo.address, operation: "create" },
    ],
  });
});

test("a plan without changes costs nothing", () => {
  expect(criticalPath(plan([], new Map(), { resources: [] }), 50)).toEqual({ cost: 0, steps: [] });
});
