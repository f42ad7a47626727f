import type { TaskContext, TaskResult } from "../src/cli/task.ts";

/** kubectl reads the ExecCredential from stdout, so text mode prints exactly that document. */
export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { NicError } = await import("../src/cli/errors.ts");
  const { cluster, region, provider } = ctx.flags as { cluster?: string; region?: string; provider?: string };
  if (provider === "gcp") {
    const [{ tokenSource }, { execCredential }] = await Promise.all([import("../src/providers/gcp/index.ts"), import("../src/outputs/kubeconfig.ts")]);
    // Google access tokens last an hour; kubectl asks again well before.
    const credential = execCredential(await tokenSource(ctx.env)(), new Date(Date.now() + 30 * 60_000));
    return { document: { success: true, credential }, text: JSON.stringify(credential) };
  }
  if (!cluster || !region) throw new NicError("INPUT_INVALID", "nic kubeconfig token needs --cluster and --region", { details: { cluster, region } });
  const { eksToken } = await import("../src/providers/aws/index.ts");
  const { execCredential } = await import("../src/outputs/kubeconfig.ts");
  // EKS tokens are valid for 15 minutes; kubectl asks again after the expiry we announce (a little earlier, to be safe).
  const credential = execCredential(await eksToken(cluster, region, ctx.env), new Date(Date.now() + 14 * 60_000));
  return { document: { success: true, credential }, text: JSON.stringify(credential) };
}
