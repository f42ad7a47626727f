// Parity with the real Terraform: the sandbox inventory NIC's create leaves equals, by type, name and tags, the one
// hashicorp/aws leaves for the same Nebari-shaped stack (fixtures/terraform/aws-stage02, run by the sandbox's harness).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { terraformWorkspace } from "../../../sandbox/scripts/terraform.ts";
import { AUTOSCALER_LABEL_TAG } from "../../../src/providers/aws/nebari.ts";
import { configFrom, Deployment } from "./harness.ts";

// The stack's variables (name nic, environment dev, Kubernetes 1.31, no extra tags) and node groups, as a Nebari config.
const config = configFrom(`project_name: nic
namespace: dev
provider: aws
amazon_web_services:
  region: us-west-2
  kubernetes_version: '1.31'
  node_groups:
    general: {instance: t3.xlarge, min_nodes: 1, max_nodes: 1}
    user: {instance: t3.large, min_nodes: 0, max_nodes: 5, taints: []}
    worker: {instance: t3.large, min_nodes: 0, max_nodes: 5, taints: ["dedicated=worker:NoSchedule"]}
`);

type Item = { type: string; name?: string; tags: Record<string, string> };

/** Names with generated parts (ids, timestamps, random suffixes) reduced to their stable part. */
function normalize(items: Item[], dropAsgTags: string[] = []): string[] {
  const name = (i: Item) =>
    (i.name ?? "")
      .replace(/^(eks-[a-z0-9-]+?)-[0-9a-f]{8}-[0-9a-f-]{27}$/, "$1-<uuid>")
      .replace(/^(eks-cluster-sg-.*)-\d+$/, "$1-<n>")
      .replace(/\/id\/[0-9A-F]{32}$/, "/id/<id>")
      .replace(/^127\.\d+\.\d+\.\d+(?::\d+)?\//, "<issuer>/")
      .replace(/^(eks-worker-autoscaling-.*?)\d{26}$/, "$1<suffix>");
  const dropped = (i: Item, key: string) => i.type === "autoscaling:group" && dropAsgTags.includes(key);
  const tags = (i: Item) => JSON.stringify(Object.fromEntries(Object.entries(i.tags).filter(([k]) => !dropped(i, k)).sort(([a], [b]) => a.localeCompare(b))));
  return items.filter((i) => !i.type.startsWith("s3:")).map((i) => `${i.type} ${name(i)} ${tags(i)}`).sort();
}

let d: Deployment;
beforeAll(async () => {
  d = await Deployment.start();
});
afterAll(async () => {
  await d.stop();
});

test("NIC's create leaves the inventory Terraform leaves (type, name, tags)", async () => {
  const workspace = terraformWorkspace(d.sandbox.awsEndpoint);
  let terraform: Item[];
  try {
    for (const args of [["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]]) {
      const run = await workspace.run(args);
      if (run.code !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.output.slice(-3000)}`);
    }
    terraform = await d.inventory();
  } finally {
    workspace.remove();
  }
  await d.control("/reset", { method: "POST" });

  const { result } = await d.deploy(config);
  expect(result.failed).toEqual([]);
  // Nebari sets the node-template label on the Auto Scaling groups in post_deploy (boto3), outside Terraform.
  const nic = await d.inventory();
  expect(nic.filter((i) => i.type === "autoscaling:group").every((g) => g.tags[AUTOSCALER_LABEL_TAG] === g.tags["eks:nodegroup-name"])).toBe(true);
  expect(normalize(nic, [AUTOSCALER_LABEL_TAG])).toEqual(normalize(terraform));
}, 300_000);
