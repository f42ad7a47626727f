// Confirmation rules and the teardown order, without a cloud.
import { describe, expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { confirmChange, confirmDestroy, type Prompter } from "../../src/destroy/confirm.ts";
import { destroyOrder } from "../../src/destroy/destroy.ts";
import { newState, type State } from "../../src/state/format.ts";

function prompter(answer: string, interactive = true): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return { interactive, asked, ask: async (q) => (asked.push(q), answer) };
}
const summary = { projectName: "nic", location: "/tmp/nic-state.json", resources: 52, importedFromTerraform: 30 };
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (err: NicError) => ({ code: err.code, exit: err.exitCode }));

describe("confirming a destroy", () => {
  test("without a terminal and without --yes it refuses with exit 3, asking nothing", async () => {
    const p = prompter("nic", false);
    expect(await refusal(confirmDestroy(summary, false, p))).toEqual({ code: "DESTROY_REFUSED", exit: 3 });
    expect(p.asked).toEqual([]);
  });

  test("--yes confirms without a prompt", async () => {
    const p = prompter("", false);
    expect(await refusal(confirmDestroy(summary, true, p))).toBeUndefined();
    expect(p.asked).toEqual([]);
  });

  test("on a terminal the project name must be typed; the prompt counts the resources imported from Terraform", async () => {
    const ok = prompter("nic");
    expect(await refusal(confirmDestroy(summary, false, ok))).toBeUndefined();
    expect(ok.asked[0]).toContain("52 resources of project nic");
    expect(ok.asked[0]).toContain("30 of them were imported from Terraform");
    expect(ok.asked[0]).toContain("Type the project name (nic)");
    expect(await refusal(confirmDestroy(summary, false, prompter("yes")))).toEqual({ code: "DESTROY_REFUSED", exit: 3 });
  });

  test("without imported resources the prompt does not mention Terraform", async () => {
    const p = prompter("nic");
    await confirmDestroy({ ...summary, importedFromTerraform: 0 }, false, p);
    expect(p.asked[0]).not.toContain("Terraform");
  });
});

describe("confirming a drift accept or fix", () => {
  test("yes proceeds, anything else or no terminal refuses with CONFIRMATION_REQUIRED", async () => {
    expect(await refusal(confirmChange("Apply?", false, prompter("yes")))).toBeUndefined();
    expect(await refusal(confirmChange("Apply?", false, prompter("y")))).toEqual({ code: "CONFIRMATION_REQUIRED", exit: 3 });
    expect(await refusal(confirmChange("Apply?", false, prompter("yes", false)))).toEqual({ code: "CONFIRMATION_REQUIRED", exit: 3 });
    expect(await refusal(confirmChange("Apply?", true, prompter("", false)))).toBeUndefined();
  });
});

describe("the teardown order", () => {
  function state(): State {
    const s = newState({ provider: "aws", projectName: "nic", region: "us-west-2" });
    const put = (address: string, depends_on: string[] = []) =>
      (s.resources[address] = { kind: address.split("/")[1]!, provider_id: address, attributes: {}, depends_on, imported_from_terraform: false, created_at: "", updated_at: "" });
    put("aws/vpc/main");
    put("aws/subnet/0", ["aws/vpc/main"]);
    put("aws/eks_cluster/main", ["aws/subnet/0"]);
    put("aws/eks_node_group/general", ["aws/eks_cluster/main", "aws/subnet/0"]);
    put("k8s/namespace/_cluster/dev");
    return s;
  }

  test("the one graph in reverse: dependents before what they depend on, Kubernetes objects before their cluster", () => {
    const order = destroyOrder(state(), false, { api: ["aws/eks_cluster/main"] });
    expect(order.map((o) => o.address)).toEqual(["aws/eks_node_group/general", "k8s/namespace/_cluster/dev", "aws/eks_cluster/main", "aws/subnet/0", "aws/vpc/main"]);
    expect(order[1]!.note).toBe("goes with the cluster");
  });

  test("a cluster that stays: its objects are deleted first, the cloud resources only forgotten", () => {
    const order = destroyOrder(state(), true, { api: ["aws/eks_cluster/main"] });
    expect(order.filter((o) => o.note === "forgotten; the cluster stays").map((o) => o.address)).toEqual(["aws/eks_node_group/general", "aws/eks_cluster/main", "aws/subnet/0", "aws/vpc/main"]);
    expect(order.findIndex((o) => o.address.startsWith("k8s/"))).toBeLessThan(order.findIndex((o) => o.address === "aws/eks_cluster/main"));
  });
});
