// `--online`: the provider's own answer to "does what this configuration names exist, and is it offered today?".
// Each provider's checks live beside its adapter (src/providers/<provider>/online.ts) and are imported only when asked.
// `nic deploy` asks the same before its first change (checkBeforeChange).
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import { checkKubernetesVersion } from "../config/kubernetes-versions.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { NebariConfig } from "../config/model.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { sectionOf } from "../deploy/sections.ts";
import type { Plan } from "../engine/plan.ts";
import type { State } from "../state/format.ts";
import type { OnlineProblem } from "./aws/online.ts";

export type { OnlineProblem };

export interface OnlineOptions {
  signal?: AbortSignal;
  /** "existing" when the state tracks the cluster: what the cloud no longer offers for a new cluster is then a warning. */
  deployment?: "new" | "existing";
}

export async function onlineChecks(config: NebariConfig, env: Env, opts: OnlineOptions = {}): Promise<OnlineProblem[]> {
  if (config.provider === "aws") {
    const { awsOnlineChecks } = await import("./aws/online.ts");
    return awsOnlineChecks(config.amazon_web_services!, { region: config.amazon_web_services!.region, env }, opts.signal, opts.deployment);
  }
  if (config.provider === "gcp") {
    const { gcpOnlineChecks } = await import("./gcp/online.ts");
    return gcpOnlineChecks(config.google_cloud_platform!, { env, ...opts });
  }
  if (config.provider === "azure") {
    const { azureOnlineChecks } = await import("./azure/online.ts");
    return azureOnlineChecks(config.azure!, env, { deployment: opts.deployment });
  }
  return [];
}

/**
 * `nic deploy`, before its first change: the online checks when the plan changes anything in the cloud. Errors stop the run
 * with nothing changed; warnings are logged. A deployment is "existing" when the state tracks its cluster. (deploy.ts asks
 * while the read runs when the state is empty, with the plan of a create from nothing.)
 */
export async function checkBeforeChange(loaded: LoadedConfig, provider: DeployProvider, plan: Plan, state: State | undefined, opts: AskOptions) {
  if (!plan.entries.some((e) => e.action !== "no-op" && sectionOf(e.address) === "cloud")) return;
  const cluster = provider.clusterLinks?.(loaded.config).api ?? [];
  const deployment = cluster.length && cluster.every((a) => state?.resources[a]) ? "existing" : "new";
  await askCloud(loaded, deployment, opts);
}

interface AskOptions {
  env: Env;
  log: Logger;
  signal: AbortSignal;
}

/**
 * The online checks for a deploy. A check the credentials may not make (a least-privilege policy without
 * ec2:DescribeInstanceTypeOfferings, say) is a warning: the deploy's own calls decide.
 */
async function askCloud(loaded: LoadedConfig, deployment: "new" | "existing", opts: AskOptions) {
  let found: OnlineProblem[];
  try {
    found = await onlineChecks(loaded.config, opts.env, { signal: opts.signal, deployment });
  } catch (err) {
    if (!isDenied(err)) throw err;
    opts.log.warn(`The checks of what ${loaded.config.provider.toUpperCase()} offers could not run (${(err as Error).message}); deploying without them`);
    return refuseOffline(loaded, deployment);
  }
  const problems = found.map((p) => loaded.problem(p.severity, p.path, p.message, { hint: p.hint }));
  for (const w of problems.filter((p) => p.severity === "warning")) opts.log.warn(w.text);
  const errors = problems.filter((p) => p.severity === "error");
  if (!errors.length) return;
  throw new NicError("CONFIG_INVALID", `${loaded.file} names what ${loaded.config.provider.toUpperCase()} does not offer for a ${deployment} deployment (${errors.length} error${errors.length === 1 ? "" : "s"}); nothing was changed`, {
    details: { file: loaded.file, deployment, errors },
    recovery: ["Fix each entry of details.errors (the hint says what the cloud offers), then run `nic deploy` again."],
  });
}

/** Without EKS's own answer, its published calendar (catalog/support-windows.ts) says what it refuses to create. */
function refuseOffline(loaded: LoadedConfig, deployment: "new" | "existing") {
  const aws = loaded.config.amazon_web_services;
  if (!aws || deployment !== "new") return;
  const { unsupported } = checkKubernetesVersion("aws", aws.kubernetes_version);
  if (!unsupported) return;
  const error = loaded.problem("error", ["amazon_web_services", "kubernetes_version"], `${unsupported}: EKS refuses to create a cluster of this version`, { hint: "Choose a version in standard support" });
  throw new NicError("CONFIG_INVALID", `${loaded.file} names a Kubernetes version EKS no longer creates; nothing was changed`, {
    details: { file: loaded.file, deployment, errors: [error] },
    recovery: ["Fix details.errors, then run `nic deploy` again."],
  });
}

/** A refusal of the credentials to read a catalogue (AWS, Google and Azure spell it differently). */
function isDenied(err: unknown): boolean {
  const e = err as { name?: string; status?: number; statusCode?: number; code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.status === 403 || e?.statusCode === 403 || e?.$metadata?.httpStatusCode === 403 || /AccessDenied|UnauthorizedOperation|AuthorizationFailed|PERMISSION_DENIED/.test(`${e?.name} ${e?.code}`);
}
