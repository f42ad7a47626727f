// Run the real Terraform against the sandbox: a temp copy of fixtures/terraform/aws-stage02, a CLI config
// that installs hashicorp/aws from the machine's filesystem mirror (offline), and var.endpoint set.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const STACK = join(import.meta.dir, "../../fixtures/terraform/aws-stage02");
const MIRROR_CANDIDATES = [process.env.NIC_TF_PLUGIN_MIRROR, "/opt/tf-plugins", "/usr/share/terraform/plugins", "/usr/local/share/terraform/plugins"];

export function findProviderMirror(): string {
  const mirror = MIRROR_CANDIDATES.find((d) => d && existsSync(join(d, "registry.terraform.io/hashicorp/aws/5.100.0")));
  if (!mirror) throw new Error(`hashicorp/aws 5.100.0 not found in a filesystem mirror (tried ${MIRROR_CANDIDATES.filter(Boolean).join(", ")}); set NIC_TF_PLUGIN_MIRROR`);
  return mirror;
}

export function terraformBinary(): string {
  const bin = Bun.which("terraform");
  if (!bin) throw new Error("terraform is not installed (Terraform 1.11.4 is required for this test)");
  return bin;
}

export interface TerraformWorkspace {
  dir: string;
  run(args: string[]): Promise<{ code: number; output: string }>;
  remove(): void;
}

/** A throw-away copy of the stack (by default the upstream-faithful one) wired to the sandbox at `endpoint`. */
export function terraformWorkspace(endpoint: string, stack = STACK): TerraformWorkspace {
  const bin = terraformBinary();
  const root = mkdtempSync(join(tmpdir(), "nic-tf-"));
  const dir = join(root, "stack");
  cpSync(stack, dir, { recursive: true });
  const cliConfig = join(root, "terraformrc");
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${findProviderMirror()}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\ndisable_checkpoint = true\n`,
  );
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    TF_VAR_endpoint: endpoint,
    CHECKPOINT_DISABLE: "1",
  };
  return {
    dir,
    async run(args) {
      const proc = Bun.spawn([bin, ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      return { code, output: out + err };
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
