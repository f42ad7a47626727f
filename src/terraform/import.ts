// `nic import --from-terraform`: map the stage 02/03 Terraform states, verify every resource live, then write NIC state
// (every resource `imported_from_terraform`) and outputs.json under the state lock. Terraform's files are only read.
import { NicError } from "../cli/errors.ts";
import type { Logger } from "../cli/log.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { NebariConfig } from "../config/model.ts";
import type { DeployProvider, Env } from "../deploy/provider.ts";
import { actualFrom, recordResource } from "../deploy/tracked.ts";
import { nicCommand, type OutputPaths } from "../deploy/write-outputs.ts";
import type { Actual, Address, Resource, ResourceKind } from "../engine/types.ts";
import { replaceFile } from "../fs/atomic.ts";
import type { ClusterConnection } from "../kubernetes/index.ts";
import { renderKubeconfig } from "../outputs/kubeconfig.ts";
import { buildOutputs } from "../outputs/outputs.ts";
import type { ClusterOutputs } from "../outputs/types.ts";
import type { StateBackend } from "../state/backend.ts";
import { newState, type State } from "../state/format.ts";
import { withStateLock } from "../state/session.ts";
import { mapState, type Mapping } from "./map.ts";
import { STAGE03_RULES, stage02Rules } from "./maps/index.ts";
import type { LoadedTerraformState, TerraformState } from "./tfstate.ts";
import { blockersOf } from "./report.ts";
import { verifyPhase, type PhaseVerification } from "./verify.ts";

/** Stage 03 for every provider: the objects the config wants and the kinds that read them. */
export interface KubernetesSide {
  desired(loaded: LoadedConfig, cluster: ClusterOutputs): Resource[];
  kinds(connection: ClusterConnection): ResourceKind[];
  /** Imported objects are kept as they are (src/kubernetes/adopt.ts). */
  adopt(desired: Resource[], imported: ReadonlyMap<Address, Actual>): Resource[];
}

export interface ImportInputs {
  loaded: LoadedConfig;
  stage02: LoadedTerraformState;
  stage03?: LoadedTerraformState;
  provider: DeployProvider;
  kubernetes: KubernetesSide;
  env: Env;
  signal: AbortSignal;
  /** Adopt resources found under Terraform's names but with other IDs (`--adopt-conflicts`). */
  adoptConflicts?: boolean;
}

export interface ImportCheck {
  stage02: { location: string; mapping: Mapping };
  stage03?: { location: string; mapping: Mapping };
  cloud: PhaseVerification;
  /** Undefined when the cluster could not be reached (see `cluster`). */
  kubernetes?: PhaseVerification;
  cluster: { endpoint: string; reachable: boolean; error?: string };
  outputs: OutputsCheck;
}

/** Nebari's stage-02 outputs (nebari-stages.md §3): these keys of outputs.json carry Terraform's values. */
export const NEBARI_OUTPUTS = ["kubernetes_credentials", "kubeconfig_filename", "nfs_endpoint", "cluster_oidc_issuer_url", "oidc_provider_arn", "cluster_autoscaler_role_arn", "project_id", "resource_group_name"];

export interface OutputsCheck {
  /** Nebari outputs Terraform had: NIC writes each again from the verified resources, never Terraform's stored value. */
  from_terraform: string[];
  /** Outputs stages 03+ read that Terraform did not have: NIC computes them. */
  from_nic: string[];
  /** Terraform outputs Nebari does not define (custom additions): not carried over. */
  ignored: string[];
}

/** Maps both states and verifies every resource live. Reads only; writes nothing. */
export async function checkImport(inputs: ImportInputs): Promise<ImportCheck> {
  const { loaded, provider, signal } = inputs;
  const { config } = loaded;
  const { stage02, stage03 } = mapStates(config, inputs.stage02, inputs.stage03);

  const rules = stage02Rules(config.provider);
  const outside = rules?.outsideTerraform ?? [];
  const adoptConflicts = inputs.adoptConflicts ?? false;
  const cloud = await verifyPhase(
    { name: "cloud", mapping: stage02.mapping, desired: provider.desired(config), kinds: provider.kinds(config, inputs.env), adoptUntracked: (r) => outside.includes(r.kind), adoptConflicts, keepable: rules?.keep },
    signal,
  );
  const cluster: ImportCheck["cluster"] = { endpoint: "", reachable: false };
  let kubernetes: PhaseVerification | undefined;
  try {
    // Throws when the cluster itself was not found: stage 03 is then reported unverified.
    const clusterOutputs = provider.clusterOutputs(config, cloud.live);
    cluster.endpoint = clusterOutputs.cluster.endpoint;
    const connection = await provider.connection(config, clusterOutputs, inputs.env);
    const mapping = stage03?.mapping ?? { mapped: [], unmanaged: [], skipped: [] };
    kubernetes = await verifyPhase({ name: "kubernetes", mapping, desired: inputs.kubernetes.desired(loaded, clusterOutputs), kinds: inputs.kubernetes.kinds(connection), adopt: inputs.kubernetes.adopt, adoptUntracked: () => true, adoptConflicts, keepable: STAGE03_RULES.keep }, signal);
    cluster.reachable = true;
  } catch (err) {
    cluster.error = (err as Error).message;
  }
  return { stage02, stage03, cloud, kubernetes, cluster, outputs: outputsCheck(config.provider, config.storage.type, inputs.stage02.state.outputs) };
}

/** Both states mapped to NIC addresses (pure: no cloud call). */
export function mapStates(config: NebariConfig, stage02: LoadedTerraformState, stage03?: LoadedTerraformState) {
  const rules = stage02Rules(config.provider);
  if (!rules) {
    throw new NicError("PROVIDER_UNSUPPORTED", `Stage 02 of the ${config.provider} provider creates no cloud resources; there is nothing to import`, {
      details: { provider: config.provider },
    });
  }
  const ctx = { namespace: config.namespace };
  return {
    stage02: { location: stage02.location, mapping: mapState(stage02.state, rules, ctx) },
    ...(stage03 && { stage03: { location: stage03.location, mapping: mapState(stage03.state, STAGE03_RULES, ctx) } }),
  };
}

export function outputsCheck(provider: string, storage: string, outputs: TerraformState["outputs"]): OutputsCheck {
  const required = ["kubernetes_credentials", "kubeconfig_filename", ...(provider === "aws" ? ["cluster_autoscaler_role_arn", ...(storage === "efs" ? ["nfs_endpoint"] : [])] : [])];
  const names = Object.keys(outputs);
  return {
    from_terraform: names.filter((n) => NEBARI_OUTPUTS.includes(n)),
    from_nic: required.filter((n) => !names.includes(n)),
    ignored: names.filter((n) => !NEBARI_OUTPUTS.includes(n)),
  };
}

/**
 * The NIC state an import writes: every verified resource as NIC read it, marked imported_from_terraform; and what the
 * config wants that NIC found live outside Terraform (Nebari's post-deploy ASG tags), adopted as `nic deploy` would.
 */
export function importedState(loaded: LoadedConfig, check: ImportCheck, now = new Date()): State {
  const { config } = loaded;
  const region = config.amazon_web_services?.region ?? config.google_cloud_platform?.region ?? config.azure?.region ?? "";
  const state = newState({ provider: config.provider, projectName: config.project_name, region }, now);
  for (const phase of [check.cloud, check.kubernetes]) {
    if (!phase) continue;
    const dependsOn = new Map(phase.plan.entries.map((e) => [e.address, e.dependsOn]));
    const record = (address: string, fromTerraform: boolean) => {
      recordResource(state, address, phase.live.get(address)!, { dependsOn: dependsOn.get(address) ?? [] }, now);
      state.resources[address]!.imported_from_terraform = fromTerraform;
    };
    for (const f of phase.found) record(f.address, true);
    for (const n of phase.notInTerraform) if (n.adopted) record(n.address, false);
  }
  const kept = [...check.cloud.kept, ...(check.kubernetes?.kept ?? [])];
  if (kept.length) state.metadata.kept_from_import = kept;
  state.metadata.configuration_hash = loaded.hash;
  return state;
}

export interface WriteImportOptions {
  paths: OutputPaths;
  /** Write even with blockers (`--force`); they are recorded in the state's metadata.import_blockers. */
  force?: boolean;
  env: Env;
  lockTimeoutMs: number;
  log?: Logger;
}

/**
 * Writes the state under the lock, then outputs.json and the kubeconfig. An existing NIC state is never overwritten:
 * import starts a deployment's NIC history, it does not merge into one.
 */
export async function writeImport(inputs: ImportInputs, check: ImportCheck, backend: StateBackend, opts: WriteImportOptions): Promise<State> {
  if (!check.kubernetes) {
    throw new NicError("IMPORT_UNVERIFIED", `The cluster at ${check.cluster.endpoint || "(no endpoint)"} could not be reached, so stage 03 was not verified: ${check.cluster.error}`, {
      details: { endpoint: check.cluster.endpoint, error: check.cluster.error },
      recovery: ["Check network access and credentials for the cluster's API endpoint, then rerun `nic import`.", "`nic import --validate-only` shows everything else that was verified."],
    });
  }
  const blockers = blockersOf(check);
  if (blockers.length && !opts.force) {
    throw new NicError("IMPORT_NOT_READY", `nic import found ${blockers.length} blocker(s) to a no-change takeover; nothing was written:\n${blockers.map((b) => `  ${b.kind}: ${b.address ? `${b.address}: ` : ""}${b.text}`).join("\n")}`, {
      details: { blockers },
      recovery: [
        "`nic import --validate-only` shows the full report.",
        "A conflict is another resource under Terraform's name: check which one is yours; --adopt-conflicts adopts what was found.",
        "--force imports anyway and records the blockers in the state (metadata.import_blockers).",
      ],
    });
  }
  const written = await withStateLock(
    backend,
    "import",
    async (session) => {
      if (session.state) {
        throw new NicError("STATE_CONFLICT", `A NIC state already exists at ${backend.location} (${Object.keys(session.state.resources).length} resources); import only starts a new one`, {
          details: { location: backend.location },
          recovery: ["Pass another location with --state, or move the existing state away if it is left over from a trial."],
        });
      }
      const state = importedState(inputs.loaded, check);
      if (blockers.length) state.metadata.import_blockers = blockers;
      return session.save(state);
    },
    { timeoutMs: opts.lockTimeoutMs, log: opts.log },
  );
  await writeImportedOutputs(inputs, written, opts);
  return written;
}

/**
 * outputs.json as `nic deploy` writes it: built from the verified resources only, with NIC's kubeconfig
 * (kubeconfig_filename points at it) and a fresh token, so Nebari's stage 04 can run right after an import.
 */
async function writeImportedOutputs(inputs: ImportInputs, state: State, opts: WriteImportOptions): Promise<void> {
  const { loaded, provider } = inputs;
  const { config } = loaded;
  const terraformOutputs = inputs.stage02.state.outputs;
  if (provider.outputs) {
    // Providers that write their own outputs (Azure: AKS's kubeconfig with a client certificate), then Terraform's values.
    const own = await provider.outputs(config, actualFrom(state), opts.paths, opts.env);
    if (own.kubeconfig !== undefined) await replaceFile(opts.paths.kubeconfig, own.kubeconfig);
    const document = own.document as Record<string, unknown>;
    for (const name of NEBARI_OUTPUTS) if (terraformOutputs[name]) document[name] = { value: terraformOutputs[name].value };
    return replaceFile(opts.paths.outputs, `${JSON.stringify(document, null, 2)}\n`);
  }
  const cluster = provider.clusterOutputs(config, actualFrom(state));
  const nic = nicCommand();
  await replaceFile(opts.paths.kubeconfig, renderKubeconfig(cluster.cluster, { command: nic.command, args: [...nic.args, ...provider.tokenArgs(config)] }));
  const namespaces = Object.keys(state.resources).filter((a) => a.startsWith("k8s/namespace/")).map((a) => a.split("/").pop()!);
  const token = await provider.token(config, opts.env);
  const outputs = buildOutputs({ config, cluster, kubeconfigPath: opts.paths.kubeconfig, token, namespaces });
  await replaceFile(opts.paths.outputs, `${JSON.stringify(outputs, null, 2)}\n`);
}
