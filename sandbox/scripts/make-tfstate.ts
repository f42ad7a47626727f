// Regenerate fixtures/terraform/aws-stage02.tfstate.json: apply the stack to a fresh sandbox with the
// real Terraform, save the state it wrote, destroy. Run: bun sandbox/scripts/make-tfstate.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../index.ts";
import { terraformWorkspace } from "./terraform.ts";

const FAST = { eksClusterCreate: 200, eksClusterDelete: 200, eksNodegroupCreate: 100, eksNodegroupDelete: 100, eksAddonCreate: 50, eksAddonDelete: 50, efsCreate: 50, efsDelete: 50, eniLinger: 500 };
const target = join(import.meta.dir, "../../fixtures/terraform/aws-stage02.tfstate.json");

const sandbox = await startSandbox({ delays: FAST });
const tf = terraformWorkspace(sandbox.awsEndpoint);
try {
  for (const args of [["init", "-no-color"], ["apply", "-auto-approve", "-no-color"]]) {
    const { code, output } = await tf.run(args);
    if (code !== 0) throw new Error(`terraform ${args[0]} failed:\n${output}`);
  }
  writeFileSync(target, readFileSync(join(tf.dir, "terraform.tfstate"), "utf8"));
  console.log(`wrote ${target}`);
  const { code, output } = await tf.run(["destroy", "-auto-approve", "-no-color"]);
  if (code !== 0) throw new Error(`terraform destroy failed:\n${output}`);
} finally {
  tf.remove();
  await sandbox.stop();
}
