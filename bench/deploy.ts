// Deploy figures on one sandbox, side by side with the real Terraform:
// P3 no-op `nic deploy` ÷ `terraform plan` (with request counts), P6 peak RSS of both.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../sandbox/index.ts";
import { terraformWorkspace } from "../sandbox/scripts/terraform.ts";
import { tempDir } from "../test/helpers/files.ts";
import { round } from "./measure.ts";

export interface DeployFigures {
  nic_noop_ms: number;
  nic_requests: number;
  nic_peak_rss_mb: number;
  terraform_plan_ms: number;
  terraform_requests: number;
  terraform_peak_rss_mb: number;
}

interface Timed {
  ms: number;
  rssMb: number;
  code: number;
}

/** Runs a command under /usr/bin/time for its peak RSS, without blocking this process (it serves the sandbox). */
async function timed(argv: string[], env: Record<string, string>, cwd?: string): Promise<Timed> {
  const started = performance.now();
  const child = Bun.spawn(["/usr/bin/time", "-f", "rss_kb=%M", ...argv], { env: { ...process.env, ...env }, cwd, stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  const ms = performance.now() - started;
  const rss = Number(/rss_kb=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { ms, rssMb: round(rss / 1024), code };
}

async function median(runs: number, run: () => Promise<Timed>): Promise<Timed> {
  const samples: Timed[] = [];
  for (let i = 0; i < runs; i++) samples.push(await run());
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(runs / 2)]!;
}

export async function deployFigures(nic: string): Promise<DeployFigures> {
  const sandbox = await startSandbox({ delays: { eksClusterCreate: 200, eksNodegroupCreate: 100, eksAddonCreate: 50, efsCreate: 50 } });
  const calls = async () => ((await (await fetch(`${sandbox.controlEndpoint}/calls`)).json()) as { calls: unknown[] }).calls.length;
  try {
    const tf = terraformWorkspace(sandbox.awsEndpoint);
    for (const args of [["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]]) {
      const r = await tf.run(args);
      if (r.code !== 0) throw new Error(`terraform ${args[0]} failed:\n${r.output.slice(-2000)}`);
    }
    // Upstream's kubernetes_credentials output carries a fresh EKS token on every plan, so a converged stack still plans an
    // output change (exit 2): converged means no resource to add, change or destroy.
    const check = await tf.run(["plan", "-no-color", "-input=false"]);
    if (check.code !== 0 || !/No changes\.|You can apply this plan to save these new output values/.test(check.output) || /Plan: \d+ to add/.test(check.output)) {
      throw new Error(`terraform plan: the stack did not converge:\n${check.output.slice(-2000)}`);
    }
    let before = await calls();
    const plan = await median(3, () => timed(["terraform", "plan", "-detailed-exitcode", "-input=false"], { TF_CLI_CONFIG_FILE: join(tf.dir, "../terraformrc"), TF_VAR_endpoint: sandbox.awsEndpoint, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" }, tf.dir));
    if (plan.code !== 0 && plan.code !== 2) throw new Error(`terraform plan exited ${plan.code}`);
    const terraformRequests = Math.round((await calls()) - before) / 3;

    const dir = tempDir("nic-bench-");
    const config = join(dir, "nebari-config.yaml");
    writeFileSync(config, readFileSync(join(import.meta.dir, "../fixtures/configs/demo-aws.yaml"), "utf8"));
    const first = await timed([nic, "deploy", "-f", config], sandbox.env);
    if (first.code !== 0) throw new Error(`nic deploy exited ${first.code}`);
    before = await calls();
    const noop = await median(5, () => timed([nic, "deploy", "-f", config], sandbox.env));
    const nicRequests = Math.round(((await calls()) - before) / 5);
    tf.remove();
    return {
      nic_noop_ms: round(noop.ms),
      nic_requests: nicRequests,
      nic_peak_rss_mb: noop.rssMb,
      terraform_plan_ms: round(plan.ms),
      terraform_requests: Math.round(terraformRequests),
      terraform_peak_rss_mb: plan.rssMb,
    };
  } finally {
    await sandbox.stop();
  }
}
