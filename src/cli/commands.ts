// The command tree: every command's name, description, flags and examples, as citty definitions. Help, flag checks,
// completion and man pages read only this file; a command's code (tasks/*.ts) is imported when it runs, never for help.
import { defineCommand, type ArgsDef, type CommandDef } from "citty";
import { INCLUDE_IGNORED_ARG, YES_ARG } from "../drift/flags.ts";
import { LOCK_TIMEOUT_ARG, STATE_ARGS } from "./shared-args.ts";
import { GLOBAL_ARGS } from "./global-args.ts";
import type { NicMeta, TaskContext, TaskModule } from "./task.ts";

export { GLOBAL_ARGS };

/** A command described here whose run() is imported from its task module only when it runs. */
function command(meta: NicMeta, args: ArgsDef, load: () => Promise<TaskModule>, subCommands?: Record<string, CommandDef<any>>): CommandDef<any> {
  return defineCommand({ meta, args, subCommands, run: ({ data }) => load().then((task) => task.run(data as TaskContext)) });
}

const OUTPUTS_ARG = { outputs: { type: "string", alias: ["output-file"], description: "Where to write outputs.json (default: beside the state)", valueHint: "FILE" } } satisfies ArgsDef;
const KUBECONFIG_ARG = { kubeconfig: { type: "string", description: "Where to write the cluster's kubeconfig (default: beside outputs.json)", valueHint: "FILE" } } satisfies ArgsDef;
const ALLOW_REPLACE_ARG = { "allow-replace": { type: "boolean", description: "Allow replacing data-bearing or identity resources (VPC, EFS, EKS cluster)" } } satisfies ArgsDef;
const FORCE_CONFLICTS_ARG = { "force-conflicts": { type: "boolean", description: "Take over Kubernetes fields another field manager owns" } } satisfies ArgsDef;

const deploy = command(
  {
    name: "deploy",
    description: "Create or update the cloud infrastructure (stage 02) and Kubernetes init (stage 03)",
    examples: [
      "nic deploy -f nebari-config.yaml --dry-run",
      "nic deploy -f nebari-config.yaml --plan-out plan.json && nic deploy -f nebari-config.yaml --plan plan.json",
      "nic deploy -f nebari-config.yaml --state s3://my-bucket/nic-state.json?lock_table=locks --outputs outputs.json",
    ],
  },
  {
    ...STATE_ARGS,
    ...OUTPUTS_ARG,
    ...KUBECONFIG_ARG,
    "dry-run": { type: "boolean", description: "Print the plan and change nothing" },
    "plan-out": { type: "string", description: "Save the plan to FILE (implies --dry-run); apply it later with --plan", valueHint: "FILE" },
    plan: { type: "string", description: "Apply exactly the plan saved in FILE, refusing it if the state or the configuration changed since", valueHint: "FILE" },
    "detailed-exitcode": { type: "boolean", description: "With --dry-run: exit 2 when the plan has changes, 0 when none" },
    ...ALLOW_REPLACE_ARG,
    ...FORCE_CONFLICTS_ARG,
    yes: { type: "boolean", alias: ["y", "auto-approve"], description: "Apply without asking (a terminal shows the plan and asks first; without one nothing asks)" },
    "adopt-existing": { type: "boolean", description: "Record cloud resources found by name that the state does not track (refused by default: another state may own them)" },
    wait: { type: "boolean", description: "Also wait until stage 03's Deployments are available (CRDs and namespaces are always waited for)" },
    "rollback-on-failure": { type: "boolean", description: "If the run fails, delete what this run created" },
    parallelism: { type: "string", description: "How many cloud operations run at once", valueHint: "N", default: "16" },
    ...LOCK_TIMEOUT_ARG,
  },
  () => import("../../tasks/deploy.ts"),
);

const destroy = command(
  {
    name: "destroy",
    description: "Delete everything NIC deployed: LoadBalancer services and their cloud leftovers first, then the tracked resources in reverse order",
    examples: ["nic destroy -f nebari-config.yaml --dry-run", "nic destroy -f nebari-config.yaml", "nic destroy -f nebari-config.yaml --yes --format json"],
  },
  {
    ...STATE_ARGS,
    ...YES_ARG,
    "dry-run": { type: "boolean", description: "List what would be deleted, in order, and delete nothing" },
    force: { type: "boolean", description: "Continue past failures (still exits non-zero and lists what is left)" },
    parallelism: { type: "string", description: "How many deletions run at once", valueHint: "N", default: "8" },
    ...LOCK_TIMEOUT_ARG,
  },
  () => import("../../tasks/destroy.ts"),
);

const status = command(
  {
    name: "status",
    description: "Report the deployment's health from the state, the lock and live checks",
    examples: ["nic status", "nic status --offline --detailed-exitcode   # exit 2 when not healthy", "nic status --format json --state .nebari/stages/02-infrastructure/nic-state.json"],
  },
  {
    ...STATE_ARGS,
    offline: { type: "boolean", description: "Only read the state and the lock; skip the live checks against the cloud" },
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when the deployment is not healthy (0 healthy, 1 no report could be made)" },
  },
  () => import("../../tasks/status.ts"),
);

const validate = command(
  {
    name: "validate",
    description: "Validate a nebari-config.yaml and summarise what NIC would build",
    examples: ["nic validate -f nebari-config.yaml", "nic validate -f nebari-config.yaml --strict --format json", "nic validate -f nebari-config.yaml --online"],
    startupOnly: true,
  },
  {
    config: { type: "string", alias: ["f", "file"], description: "Path of nebari-config.yaml", valueHint: "FILE", default: "nebari-config.yaml" },
    strict: { type: "boolean", description: "Treat everything Nebari rejects as an error (unknown keys, aliases, NIC extensions)" },
    online: { type: "boolean", description: "Also ask the cloud (with your credentials) whether the region, zones, instance types and Kubernetes version are offered today" },
  },
  () => import("../../tasks/validate.ts"),
);

const importCommand = command(
  {
    name: "import",
    description: "Adopt a Terraform-made Nebari deployment (stages 02 and 03) into NIC state, changing nothing in the cloud",
    examples: [
      "nic import --from-terraform -f nebari-config.yaml --validate-only",
      "nic import --from-terraform -f nebari-config.yaml --terraform-state-02 stages/02-infrastructure/aws/terraform.tfstate",
    ],
  },
  {
    "from-terraform": { type: "boolean", description: "Import from Nebari's Terraform states (the only source so far)" },
    "terraform-state-02": {
      type: "string",
      description: "Stage 02 state: a path, s3://BUCKET/KEY[?lock_table=TABLE&region=R], gs://BUCKET/OBJECT or azblob://ACCOUNT/CONTAINER/BLOB (default: found as Nebari does)",
      valueHint: "PATH|URL",
    },
    "terraform-state-03": { type: "string", description: "Stage 03 state, as --terraform-state-02 (default: found as Nebari does; optional)", valueHint: "PATH|URL" },
    ...STATE_ARGS,
    state: { ...STATE_ARGS.state, alias: ["output-state"] },
    ...OUTPUTS_ARG,
    ...KUBECONFIG_ARG,
    "validate-only": { type: "boolean", description: "Verify and print the validation report; write nothing" },
    "adopt-conflicts": { type: "boolean", description: "Adopt resources found under Terraform's names but with other IDs (never done otherwise)" },
    force: { type: "boolean", description: "Import even with blockers (missing resources, conflicts, changes); they are recorded in the state" },
    ...LOCK_TIMEOUT_ARG,
  },
  () => import("../../tasks/import.ts"),
);

const kubeconfigToken = command(
  {
    name: "token",
    description: "Print an EKS token (with --provider gcp, a Google access token) as a kubectl ExecCredential (used by the kubeconfig NIC writes)",
    examples: ["nic kubeconfig token --cluster nicdemo-dev --region us-east-1", "nic kubeconfig token --provider gcp"],
  },
  {
    provider: { type: "string", description: "aws (default) or gcp (Application Default Credentials)", valueHint: "NAME" },
    cluster: { type: "string", description: "EKS cluster name", valueHint: "NAME" },
    region: { type: "string", description: "AWS region of the cluster", valueHint: "REGION" },
  },
  () => import("../../tasks/kubeconfig-token.ts"),
);

const kubeconfig = command(
  {
    name: "kubeconfig",
    description: "Print or write the kubeconfig of the deployed cluster",
    examples: ["nic kubeconfig -f nebari-config.yaml > ~/.kube/nebari", "nic kubeconfig -f nebari-config.yaml -o kubeconfig && kubectl --kubeconfig kubeconfig get ns"],
  },
  {
    ...STATE_ARGS,
    output: { type: "string", alias: ["o"], description: "Write the kubeconfig here (mode 0600) instead of printing it", valueHint: "FILE" },
  },
  () => import("../../tasks/kubeconfig.ts"),
  { token: kubeconfigToken },
);

const output = command(
  {
    name: "output",
    description: "Print values from outputs.json, as terraform output does",
    examples: ["nic output", "nic output kubeconfig_filename --raw", "kubectl --kubeconfig \"$(nic output kubeconfig_filename --raw)\" get ns", "nic output --json | jq .nfs_endpoint.value"],
  },
  {
    name: { type: "positional", required: false, description: "One output (default: all of them)" },
    ...STATE_ARGS,
    outputs: { ...OUTPUTS_ARG.outputs, description: "outputs.json to read (default: beside the state)" },
    json: { type: "boolean", description: "Print the value (or every output) as JSON" },
    raw: { type: "boolean", description: "Print a string, number or boolean value as it is, without quotes (needs NAME)" },
  },
  () => import("../../tasks/output.ts"),
);

const state = defineCommand({
  meta: { name: "state", description: "Inspect and repair NIC's state: show, pull, push, unlock" },
  subCommands: {
    show: command(
      {
        name: "show",
        description: "Show the state: resources, pending operations and the lock",
        examples: ["nic state show", "nic state show --state s3://my-nebari-dev-terraform-state/nic/my-nebari-dev/02-infrastructure/nic-state.json --format json"],
      },
      STATE_ARGS,
      () => import("../../tasks/state-show.ts"),
    ),
    pull: command(
      { name: "pull", description: "Print the state document on stdout (migrated to the current format)", examples: ["nic state pull > backup.json", "nic state pull --format json | jq .state.serial"] },
      STATE_ARGS,
      () => import("../../tasks/state-pull.ts"),
    ),
    push: command(
      {
        name: "push",
        description: "Replace the state with a file, refusing an older serial or another lineage",
        examples: ["nic state pull > s.json && $EDITOR s.json && nic state push s.json", "nic state push restored.json --force"],
      },
      {
        file: { type: "positional", required: false, description: "State file to push (- reads stdin)" },
        ...STATE_ARGS,
        ...LOCK_TIMEOUT_ARG,
        force: { type: "boolean", description: "Skip the serial and lineage checks (validation and the secrets guard still apply)" },
      },
      () => import("../../tasks/state-push.ts"),
    ),
    unlock: command(
      {
        name: "unlock",
        description: "Show who holds the state lock and break it",
        examples: ["nic state unlock", "nic state unlock 6f1c…-lock-id --force --state s3://bucket/key?lock_table=locks"],
      },
      {
        lock_id: { type: "positional", required: false, description: "The lock to break (default: the current lock)" },
        ...STATE_ARGS,
        force: { type: "boolean", description: "Break the lock without asking (required without a terminal)" },
      },
      () => import("../../tasks/state-unlock.ts"),
    ),
  },
});

const DETAILED_EXITCODE = (what: string) => ({ "detailed-exitcode": { type: "boolean", description: `Exit 2 when there ${what} (0 none, 1 error)` } }) satisfies ArgsDef;

const drift = defineCommand({
  meta: { name: "drift", description: "Compare the state with the actual cloud and cluster, and reconcile them" },
  subCommands: {
    detect: command(
      {
        name: "detect",
        description: "Compare the state with the actual cloud and cluster (design document §6.5 report)",
        examples: ["nic drift detect -f nebari-config.yaml", "nic drift detect --format json --detailed-exitcode"],
      },
      { ...STATE_ARGS, ...INCLUDE_IGNORED_ARG, ...DETAILED_EXITCODE("is drift") },
      () => import("../../tasks/drift-detect.ts"),
    ),
    diff: command(
      {
        name: "diff",
        description: "Show the exact differences between the state and the actual cloud and cluster",
        examples: ["nic drift diff -f nebari-config.yaml", "nic drift diff --format json"],
      },
      { ...STATE_ARGS, ...INCLUDE_IGNORED_ARG, ...DETAILED_EXITCODE("are differences") },
      () => import("../../tasks/drift-diff.ts"),
    ),
    accept: command(
      {
        name: "accept",
        description: "Record the actual cloud and cluster in the state (state ← actual), after confirmation",
        examples: ["nic drift accept -f nebari-config.yaml", "nic drift accept -f nebari-config.yaml --yes"],
      },
      { ...STATE_ARGS, ...INCLUDE_IGNORED_ARG, ...YES_ARG, ...LOCK_TIMEOUT_ARG },
      () => import("../../tasks/drift-accept.ts"),
    ),
    fix: command(
      {
        name: "fix",
        description: "Make the cloud and cluster match the configuration again (actual ← desired), showing the plan first",
        examples: ["nic drift fix -f nebari-config.yaml", "nic drift fix -f nebari-config.yaml --yes --format json"],
      },
      { ...STATE_ARGS, ...YES_ARG, ...ALLOW_REPLACE_ARG, ...FORCE_CONFLICTS_ARG, ...LOCK_TIMEOUT_ARG },
      () => import("../../tasks/drift-fix.ts"),
    ),
  },
});

export const SHELLS = ["bash", "zsh", "fish", "powershell"];

export const root = defineCommand({
  meta: { name: "nic", description: "Nebari Infrastructure Core: Nebari stages 02 and 03 with native cloud SDKs" },
  args: GLOBAL_ARGS,
  subCommands: {
    deploy,
    destroy,
    status,
    validate,
    import: importCommand,
    kubeconfig,
    output,
    state,
    drift,
    schema: command(
      {
        name: "schema",
        description: "Print the JSON Schema (2020-12) of the configuration sections NIC reads",
        examples: ["nic schema > nebari-config.schema.json   # then: # yaml-language-server: $schema=nebari-config.schema.json"],
      },
      {},
      () => import("../../tasks/schema.ts"),
    ),
    version: command(
      { name: "version", description: "Print the version, commit and registered providers", examples: ["nic version", "nic version --format json"] },
      {},
      () => import("../../tasks/version.ts"),
    ),
    completion: command(
      {
        name: "completion",
        description: "Print a shell completion script (bash, zsh, fish, powershell), made by @bomb.sh/tab from the command definitions",
        examples: ["source <(nic completion bash)      # in ~/.bashrc", "nic completion zsh > \"${fpath[1]}/_nic\"", "nic completion fish > ~/.config/fish/completions/nic.fish"],
      },
      { shell: { type: "positional", required: true, description: `One of ${SHELLS.join(", ")}` } },
      () => import("../../tasks/completion.ts"),
    ),
    // What the completion scripts call back on every TAB: `nic complete -- WORDS…` prints the candidates.
    complete: command(
      { name: "complete", description: "Completion candidates for the words after --, for the shell scripts", hidden: true, variadic: true },
      {},
      () => import("../../tasks/completion.ts").then((m) => ({ run: m.candidates })),
    ),
  },
});

/** Words people bring from Terraform, answered with NIC's equivalent. */
export const FAMILIAR: Record<string, string> = {
  plan: "nic deploy --dry-run",
  apply: "nic deploy",
  init: "nic validate",
  show: "nic state show",
  refresh: "nic drift detect",
};
