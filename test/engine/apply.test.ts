import { describe, expect, test } from "bun:test";
import { apply, type ApplyEvent, type ApplyOptions, type Intent, type Outcome } from "../../src/engine/apply.ts";
import { observe } from "../../src/engine/observe.ts";
import { plan } from "../../src/engine/plan.ts";
import { ref } from "../../src/engine/refs.ts";
import type { Actual, Resource, ResourceKind, Tracked } from "../../src/engine/types.ts";
import { FakeCloud, invalid, resource, throttled } from "./fake-cloud.ts";

const KINDS = ["aws/vpc", "aws/subnet", "aws/eks_cluster", "aws/eks_node_group", "aws/ecr_repository"];
const fastRetry = { baseDelayMs: 1, maxDelayMs: 2 };

/** vpc ← subnet a, b ← cluster ← node group general; the ECR repository stands alone. */
function stack(): Resource[] {
  const vpcId = ref("aws/vpc/main");
  return [
    resource("aws/vpc/main", { cidr_block: "10.10.0.0/16" }, { protected: true, immutableFields: ["cidr_block"] }),
    resource("aws/subnet/a", { vpc_id: vpcId, cidr_block: "10.10.0.0/18" }, { immutableFields: ["vpc_id"] }),
    resource("aws/subnet/b", { vpc_id: vpcId, cidr_block: "10.10.64.0/18" }, { immutableFields: ["vpc_id"] }),
    resource("aws/eks_cluster/main", { subnet_ids: [ref("aws/subnet/a"), ref("aws/subnet/b")] }),
    resource("aws/eks_node_group/general", { cluster: ref("aws/eks_cluster/main"), max_size: 5 }, { ignoreFields: ["desired_size"] }),
    resource("aws/ecr_repository/jupyterlab", { name: "demo-jupyterlab" }),
  ];
}

/** One deploy as the deploy task runs it: observe, plan, apply, with state saved after each resource. */
async function deploy(cloud: FakeCloud, desired: Resource[], state: Map<string, Tracked>, opts: Partial<ApplyOptions> = {}) {
  const kinds = opts.kinds ?? KINDS.map((k) => cloud.kind(k));
  const actual = await observe(kinds, desired, [...state.values()], new AbortController().signal);
  const p = plan(desired, actual, { resources: [...state.values()] });
  const saved: Array<[string, Actual | null]> = [];
  const result = await apply(p, {
    kinds,
    retry: fastRetry,
    ...opts,
    onResourceDone: (address, found, entry) => {
      saved.push([address, found]);
      if (found) state.set(address, { address, kind: entry.kind, dependsOn: entry.dependsOn, ...found });
      else state.delete(address);
    },
  });
  return { plan: p, result, saved };
}

function position(cloud: FakeCloud, operation: string, address: string): number {
  const i = cloud.calls.findIndex((c) => c.operation === operation && c.address === address);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

describe("apply", () => {
  test("creates in dependency order and passes the ids of what it created", async () => {
    const cloud = new FakeCloud();
    const { result } = await deploy(cloud, stack(), new Map());
    expect(result.success).toBe(true);
    expect(result.done).toHaveLength(6);
    expect(position(cloud, "create", "aws/vpc/main")).toBeLessThan(position(cloud, "create", "aws/subnet/a"));
    expect(position(cloud, "create", "aws/subnet/b")).toBeLessThan(position(cloud, "create", "aws/eks_cluster/main"));
    expect(position(cloud, "create", "aws/eks_cluster/main")).toBeLessThan(position(cloud, "create", "aws/eks_node_group/general"));
    const vpc = cloud.resources.get("aws/vpc/main") as Actual;
    expect(cloud.resources.get("aws/subnet/a")?.attributes.vpc_id).toBe(vpc.id);
    expect(cloud.resources.get("aws/eks_cluster/main")?.attributes.subnet_ids).toEqual([
      cloud.resources.get("aws/subnet/a")?.id,
      cloud.resources.get("aws/subnet/b")?.id,
    ]);
  });

  test("a second deploy with the same config makes no changes and no mutating calls", async () => {
    const cloud = new FakeCloud();
    const state = new Map<string, Tracked>();
    await deploy(cloud, stack(), state);
    const before = cloud.mutatingCalls().length;
    const { plan: second, result } = await deploy(cloud, stack(), state);
    expect(second.entries.every((e) => e.action === "no-op")).toBe(true);
    expect(result.done).toEqual([]);
    expect(cloud.mutatingCalls().length).toBe(before);
  });

  test("changing max_size makes exactly one update; adding a node group creates exactly that", async () => {
    const cloud = new FakeCloud();
    const state = new Map<string, Tracked>();
    await deploy(cloud, stack(), state);
    const changed = stack().map((r) => (r.address === "aws/eks_node_group/general" ? { ...r, attributes: { ...r.attributes, max_size: 10 } } : r));
    const before = cloud.mutatingCalls().length;
    await deploy(cloud, changed, state);
    expect(cloud.mutatingCalls().slice(before).map((c) => `${c.operation} ${c.address}`)).toEqual(["update aws/eks_node_group/general"]);

    const added = [...changed, resource("aws/eks_node_group/user", { cluster: ref("aws/eks_cluster/main"), max_size: 5 })];
    const next = cloud.mutatingCalls().length;
    await deploy(cloud, added, state);
    expect(cloud.mutatingCalls().slice(next).map((c) => `${c.operation} ${c.address}`)).toEqual(["create aws/eks_node_group/user"]);
  });

  test("deletes in reverse dependency order and saves state after each", async () => {
    const cloud = new FakeCloud();
    const state = new Map<string, Tracked>();
    await deploy(cloud, stack(), state);
    const { result, saved } = await deploy(cloud, [], state);
    expect(result.success).toBe(true);
    expect(cloud.inventory()).toEqual([]);
    expect(state.size).toBe(0);
    expect(saved.every(([, actual]) => actual === null)).toBe(true);
    expect(position(cloud, "delete", "aws/eks_node_group/general")).toBeLessThan(position(cloud, "delete", "aws/eks_cluster/main"));
    expect(position(cloud, "delete", "aws/subnet/a")).toBeLessThan(position(cloud, "delete", "aws/vpc/main"));
    expect(position(cloud, "delete", "aws/eks_cluster/main")).toBeLessThan(position(cloud, "delete", "aws/subnet/b"));
  });

  test("a replacement deletes the old resource before creating the new one", async () => {
    const cloud = new FakeCloud();
    const state = new Map<string, Tracked>();
    const repo = resource("aws/ecr_repository/jupyterlab", { name: "a" }, { immutableFields: ["name"] });
    await deploy(cloud, [repo], state);
    const { result, saved } = await deploy(cloud, [{ ...repo, attributes: { name: "b" } }], state);
    expect(result.done.map((d) => d.operation)).toEqual(["delete", "create"]);
    expect(saved.map(([, a]) => a?.attributes.name ?? null)).toEqual([null, "b"]);
    expect(cloud.resources.get("aws/ecr_repository/jupyterlab")?.attributes.name).toBe("b");
  });

  test("never runs more operations at once than the parallelism allows", async () => {
    const cloud = new FakeCloud(3);
    const desired = Array.from({ length: 10 }, (_, i) => resource(`aws/ecr_repository/r${i}`));
    const { result } = await deploy(cloud, desired, new Map(), { parallelism: 3 });
    expect(result.done).toHaveLength(10);
    expect(cloud.maxInFlight).toBe(3);
  });

  test("when more steps are ready than may run, the one heading the slowest chain goes first", async () => {
    const cloud = new FakeCloud();
    const kinds = [cloud.kind("aws/ecr_repository", { timeoutMs: 60_000 }), cloud.kind("aws/vpc", { timeoutMs: 600_000 }), cloud.kind("aws/eks_cluster", { timeoutMs: 1_800_000 })];
    const desired = [
      resource("aws/ecr_repository/a"),
      resource("aws/ecr_repository/b"),
      resource("aws/vpc/main"),
      resource("aws/eks_cluster/main", { vpc: ref("aws/vpc/main") }),
    ];
    await deploy(cloud, desired, new Map(), { kinds, parallelism: 1 });
    expect(cloud.calls.map((c) => c.address)).toEqual(["aws/vpc/main", "aws/eks_cluster/main", "aws/ecr_repository/a", "aws/ecr_repository/b"]);
  });

  test("runs operations sharing a serial key one at a time", async () => {
    const cloud = new FakeCloud(3);
    const kinds = [cloud.kind("aws/eks_node_group", { serialKey: () => "cluster main" })];
    const desired = ["general", "user", "worker", "gpu"].map((n) => resource(`aws/eks_node_group/${n}`));
    const { result } = await deploy(cloud, desired, new Map(), { kinds, parallelism: 8 });
    expect(result.done).toHaveLength(4);
    expect(cloud.maxInFlight).toBe(1);
  });

  test("retries throttling with backoff and reports each retry", async () => {
    const cloud = new FakeCloud();
    cloud.failures.set("aws/vpc/main", [throttled(), throttled()]);
    const events: ApplyEvent[] = [];
    const { result } = await deploy(cloud, [resource("aws/vpc/main")], new Map(), { onEvent: (e) => events.push(e) });
    expect(result.success).toBe(true);
    expect(cloud.calls.filter((c) => c.address === "aws/vpc/main")).toHaveLength(3);
    expect(events.filter((e) => e.type === "retrying").map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
  });

  test("retries the same request token (the call is idempotent on the cloud side)", async () => {
    const cloud = new FakeCloud();
    cloud.failures.set("aws/vpc/main", [throttled()]);
    await deploy(cloud, [resource("aws/vpc/main")], new Map());
    const tokens = cloud.calls.map((c) => c.token);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1] as string);
  });

  test("a create retried after its first attempt made the resource finishes that one instead of making a second", async () => {
    const cloud = new FakeCloud();
    cloud.failuresAfterEffect.set("aws/vpc/main", [throttled()]);
    const state = new Map<string, Tracked>();
    const { result } = await deploy(cloud, [resource("aws/vpc/main", { cidr_block: "10.10.0.0/16" })], state);
    expect(result.success).toBe(true);
    expect(cloud.calls.map((c) => c.operation)).toEqual(["create", "update"]);
    expect(cloud.inventory()).toEqual(["aws/vpc/main"]);
    expect(state.get("aws/vpc/main")?.id).toBe(cloud.resources.get("aws/vpc/main")!.id);
  });

  test("does not retry an error that is not transient", async () => {
    const cloud = new FakeCloud();
    cloud.failures.set("aws/vpc/main", [invalid()]);
    const { result } = await deploy(cloud, [resource("aws/vpc/main")], new Map());
    expect(result.failed.map((f) => f.error)).toEqual(["Invalid parameter"]);
    expect(cloud.calls).toHaveLength(1);
  });

  test("retries an error an injected classifier calls transient, for its time budget only", async () => {
    const notAssumable = () => invalid("Role with arn arn:aws:iam::1:role/x could not be assumed");
    const classify = (err: unknown) => (String((err as Error).message).includes("could not be assumed") ? 60_000 : undefined);
    const cloud = new FakeCloud();
    cloud.failures.set("aws/eks_cluster/main", [notAssumable(), notAssumable()]);
    const { result } = await deploy(cloud, [resource("aws/eks_cluster/main")], new Map(), { retry: { ...fastRetry, classify } });
    expect(result.success).toBe(true);

    const impatient = new FakeCloud();
    impatient.failures.set("aws/eks_cluster/main", [notAssumable(), notAssumable()]);
    const budget = (err: unknown) => (classify(err) === undefined ? undefined : 0);
    const second = await deploy(impatient, [resource("aws/eks_cluster/main")], new Map(), { retry: { ...fastRetry, classify: budget, random: () => 0.99 } });
    expect(second.result.failed).toHaveLength(1);
  });

  test("a failure skips its dependents and lets independent branches finish", async () => {
    const cloud = new FakeCloud();
    cloud.failures.set("aws/subnet/a", [invalid("The CIDR '10.10.0.0/18' conflicts with another subnet")]);
    const state = new Map<string, Tracked>();
    const { result } = await deploy(cloud, stack(), state);
    expect(result.success).toBe(false);
    expect(result.failed.map((f) => f.address)).toEqual(["aws/subnet/a"]);
    expect(result.skipped.map((s) => s.address).sort()).toEqual(["aws/eks_cluster/main", "aws/eks_node_group/general"]);
    expect(result.done.map((d) => d.address).sort()).toEqual(["aws/ecr_repository/jupyterlab", "aws/subnet/b", "aws/vpc/main"]);
    expect([...state.keys()].sort()).toEqual(["aws/ecr_repository/jupyterlab", "aws/subnet/b", "aws/vpc/main"]);
  });

  test("pairs every journal begin with one end, before the state is saved", async () => {
    const cloud = new FakeCloud();
    cloud.failures.set("aws/subnet/b", [invalid()]);
    const log: string[] = [];
    const intents = new Map<string, Intent>();
    const journal = {
      begin: (intent: Intent) => {
        const id = `j${intents.size}`;
        intents.set(id, intent);
        log.push(`begin ${intent.address} ${intent.requestToken}`);
        return id;
      },
      end: (id: string, outcome: Outcome) => void log.push(`end ${intents.get(id)?.address} ${outcome.status}`),
    };
    const state = new Map<string, Tracked>();
    await deploy(cloud, stack(), state, { journal, onEvent: () => {} });
    const begins = log.filter((l) => l.startsWith("begin"));
    expect(begins).toHaveLength(cloud.mutatingCalls().length);
    for (const [id, intent] of intents) {
      expect(log.filter((l) => l.startsWith(`end ${intent.address} `))).toHaveLength(1);
      expect(log.indexOf(`begin ${intent.address} ${intent.requestToken}`)).toBeLessThan(log.findIndex((l) => l.startsWith(`end ${intent.address} `)));
      expect(cloud.calls.find((c) => c.address === intent.address)?.token).toBe(intent.requestToken);
      expect(id).toMatch(/^j\d+$/);
    }
    expect(log).toContain("end aws/subnet/b failed");
    expect(log).toContain("end aws/vpc/main done");
  });

  test("cancellation stops new work, interrupts what runs, and leaves its outcome unknown", async () => {
    const cloud = new FakeCloud();
    cloud.hang.add("aws/subnet/a");
    const controller = new AbortController();
    const outcomes: Outcome[] = [];
    const journal = { begin: () => "id", end: (_: string, o: Outcome) => void outcomes.push(o) };
    const onEvent = (e: ApplyEvent) => {
      if (e.type === "started" && e.address === "aws/subnet/a") setTimeout(() => controller.abort(), 5);
    };
    const { result } = await deploy(cloud, stack(), new Map(), { journal, onEvent, signal: controller.signal, parallelism: 1 });
    expect(result.failed).toEqual([expect.objectContaining({ address: "aws/subnet/a", error: "cancelled" })]);
    expect(result.skipped.length).toBeGreaterThan(0);
    expect(result.skipped.every((s) => s.reason === "cancelled" || s.reason.endsWith("did not complete"))).toBe(true);
    expect(outcomes.at(-1)).toEqual({ status: "unknown", reason: "cancelled" });
  });

  test("an operation past its kind's timeout fails even if the call ignores its signal", async () => {
    const cloud = new FakeCloud();
    cloud.hang.add("aws/vpc/main");
    cloud.deaf.add("aws/vpc/main");
    const kinds = [cloud.kind("aws/vpc", { timeoutMs: 20 })];
    const { result } = await deploy(cloud, [resource("aws/vpc/main")], new Map(), { kinds });
    expect(result.failed.map((f) => f.error)).toEqual(["timed out after 20 ms"]);
  });

  test("rollback deletes what this run created, dependents first", async () => {
    const cloud = new FakeCloud();
    cloud.failures.set("aws/eks_cluster/main", [invalid()]);
    const state = new Map<string, Tracked>();
    const { result } = await deploy(cloud, stack(), state, { rollbackOnFailure: true });
    expect(result.success).toBe(false);
    expect(result.rollback?.failed).toEqual([]);
    expect(result.rollback?.done.map((d) => d.address).sort()).toEqual(["aws/ecr_repository/jupyterlab", "aws/subnet/a", "aws/subnet/b", "aws/vpc/main"]);
    expect(cloud.inventory()).toEqual([]);
    expect(state.size).toBe(0);
    expect(position(cloud, "delete", "aws/subnet/a")).toBeLessThan(position(cloud, "delete", "aws/vpc/main"));
  });

  test("rollback leaves alone what existed before the run", async () => {
    const cloud = new FakeCloud();
    const state = new Map<string, Tracked>();
    await deploy(cloud, [resource("aws/vpc/main")], state);
    cloud.failures.set("aws/subnet/a", [invalid()]);
    const desired = [resource("aws/vpc/main"), resource("aws/subnet/a", { vpc_id: ref("aws/vpc/main") }), resource("aws/subnet/b", { vpc_id: ref("aws/vpc/main") })];
    const { result } = await deploy(cloud, desired, state, { rollbackOnFailure: true });
    expect(result.rollback?.done.map((d) => d.address)).toEqual(["aws/subnet/b"]);
    expect(cloud.inventory()).toEqual(["aws/vpc/main"]);
  });

  test("waits for readiness, and keeps tracking a resource that was created but never became ready", async () => {
    const cloud = new FakeCloud();
    const events: ApplyEvent[] = [];
    const ready: ResourceKind = cloud.kind("aws/eks_cluster", { wait: async (a) => ({ ...a, attributes: { ...a.attributes, status: "ACTIVE" } }) });
    const state = new Map<string, Tracked>();
    await deploy(cloud, [resource("aws/eks_cluster/main")], state, { kinds: [ready], onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toEqual(["started", "waiting", "done"]);
    expect(state.get("aws/eks_cluster/main")?.attributes.status).toBe("ACTIVE");

    const failing = cloud.kind("aws/eks_node_group", { wait: async () => Promise.reject(invalid("CREATE_FAILED: Ec2SubnetInvalidConfiguration")) });
    const desired = [resource("aws/eks_cluster/main"), resource("aws/eks_node_group/general")];
    const { result } = await deploy(cloud, desired, state, { kinds: [ready, failing] });
    expect(result.failed[0]?.error).toContain("did not become ready: CREATE_FAILED");
    expect(result.failed[0]?.actual?.id).toBe(cloud.resources.get("aws/eks_node_group/general")?.id as string);
    expect(state.has("aws/eks_node_group/general")).toBe(true);
  });

  test("records adopted resources in state without any cloud call", async () => {
    const cloud = new FakeCloud();
    await deploy(cloud, [resource("aws/vpc/main")], new Map());
    const lost = new Map<string, Tracked>();
    const before = cloud.calls.length;
    const { result } = await deploy(cloud, [resource("aws/vpc/main")], lost);
    expect(result.adopted).toEqual(["aws/vpc/main"]);
    expect(lost.get("aws/vpc/main")?.id).toBe(cloud.resources.get("aws/vpc/main")?.id as string);
    expect(cloud.calls.length).toBe(before);
  });

  test("refuses a plan with errors", async () => {
    const cloud = new FakeCloud();
    const p = plan([resource("aws/vpc/main", { cidr_block: "b" }, { protected: true, immutableFields: ["cidr_block"] })], new Map([["aws/vpc/main", { id: "vpc-1", attributes: { cidr_block: "a" } }]]), { resources: [] });
    await expect(apply(p, { kinds: [cloud.kind("aws/vpc")] })).rejects.toThrow("--allow-replace");
    expect(cloud.calls).toEqual([]);
  });
});

test("rollback keeps the new half of a replacement (the old one is gone already)", async () => {
  const cloud = new FakeCloud();
  const state = new Map<string, Tracked>();
  const repo = resource("aws/ecr_repository/jupyterlab", { name: "a" }, { immutableFields: ["name"] });
  await deploy(cloud, [repo], state);
  cloud.failures.set("aws/vpc/main", [invalid()]);
  const { result } = await deploy(cloud, [{ ...repo, attributes: { name: "b" } }, resource("aws/vpc/main")], state, { rollbackOnFailure: true });
  expect(result.rollback?.done).toEqual([]);
  expect(cloud.inventory()).toEqual(["aws/ecr_repository/jupyterlab"]);
});

test("a replacement journals the old id for its delete and none for its create", async () => {
  const cloud = new FakeCloud();
  const state = new Map<string, Tracked>();
  const repo = resource("aws/ecr_repository/jupyterlab", { name: "a" }, { immutableFields: ["name"] });
  await deploy(cloud, [repo], state);
  const oldId = cloud.resources.get(repo.address)?.id;
  const intents: Intent[] = [];
  const journal = { begin: (i: Intent) => String(intents.push(i)), end: () => {} };
  await deploy(cloud, [{ ...repo, attributes: { name: "b" } }], state, { journal });
  expect(intents.map((i) => [i.operation, i.id])).toEqual([
    ["delete", oldId],
    ["create", undefined],
  ]);
});

test("kinds whose operations are idempotent and found by address (server-side apply) journal nothing", async () => {
  const cloud = new FakeCloud();
  const kinds = [{ ...cloud.kind("k8s/namespace"), idempotent: true }, cloud.kind("aws/vpc")];
  const intents: Intent[] = [];
  const journal = { begin: (i: Intent) => String(intents.push(i)), end: () => {} };
  const { result } = await deploy(cloud, [resource("k8s/namespace/_cluster/dev"), resource("aws/vpc/main")], new Map(), { kinds, journal });
  expect(result.success).toBe(true);
  expect(intents.map((i) => i.address)).toEqual(["aws/vpc/main"]);
});

describe("a resource the cloud is still deleting (a destroy was cut off)", () => {
  const deleting: Actual = { id: "ng-1", attributes: { max_size: 5 }, deleting: true };
  function kind(log: string[]): ResourceKind {
    let gone = false;
    return {
      kind: "aws/eks_node_group",
      timeoutMs: 10_000,
      observe: async () => new Map(),
      create: async (r) => (log.push(`create after ${gone ? "it went" : "NOT GONE"}`), { id: "ng-2", attributes: r.attributes }),
      update: async () => (log.push("update"), deleting),
      delete: async () => void log.push("delete call"),
      wait: async (actual, operation) => (operation === "delete" && (gone = true), log.push(`wait ${operation}`), actual),
    };
  }

  test("destroy: no second delete call, only the wait until it is gone", async () => {
    const log: string[] = [];
    const p = plan([], new Map([["aws/eks_node_group/user", deleting]]), { resources: [{ address: "aws/eks_node_group/user", kind: "aws/eks_node_group", ...deleting }] });
    expect(p.entries.map((e) => [e.action, e.reason])).toEqual([["delete", "already being deleted; waiting until it is gone"]]);
    expect((await apply(p, { kinds: [kind(log)] })).success).toBe(true);
    expect(log).toEqual(["wait delete"]);
  });

  test("deploy: it is created anew once the old one is gone", async () => {
    const log: string[] = [];
    const p = plan([resource("aws/eks_node_group/user", { max_size: 5 })], new Map([["aws/eks_node_group/user", deleting]]), { resources: [] });
    expect(p.entries.map((e) => e.action)).toEqual(["create"]);
    expect((await apply(p, { kinds: [kind(log)] })).success).toBe(true);
    expect(log).toEqual(["wait delete", "create after it went", "wait create"]);
  });
});
