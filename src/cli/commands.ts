// The command table. Only names, summaries and loaders live here, so `nic --help` imports no task.
import type { TaskModule } from "./task.ts";

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<TaskModule>;
}

export const COMMANDS: CommandEntry[] = [
  { name: "deploy", summary: "Create or update the cloud infrastructure and Kubernetes init (stages 02 and 03)", load: () => import("../../tasks/deploy.ts") },
  { name: "kubeconfig", summary: "Print or write the kubeconfig of the deployed cluster", load: () => import("../../tasks/kubeconfig.ts") },
  { name: "kubeconfig token", summary: "Print an EKS token as a kubectl ExecCredential", load: () => import("../../tasks/kubeconfig-token.ts") },
  { name: "validate", summary: "Validate a nebari-config.yaml and summarise what NIC would build", load: () => import("../../tasks/validate.ts") },
  { name: "schema", summary: "Print the JSON Schema of the configuration sections NIC reads", load: () => import("../../tasks/schema.ts") },
  { name: "status", summary: "Report the deployment's health from the state, the lock and live checks", load: () => import("../../tasks/status.ts") },
  { name: "state show", summary: "Show the state: resources, pending operations and the lock", load: () => import("../../tasks/state-show.ts") },
  { name: "state pull", summary: "Print the state document on stdout", load: () => import("../../tasks/state-pull.ts") },
  { name: "state push", summary: "Replace the state with a file, refusing an older serial or another lineage", load: () => import("../../tasks/state-push.ts") },
  { name: "state unlock", summary: "Show who holds the state lock and break it", load: () => import("../../tasks/state-unlock.ts") },
  { name: "drift detect", summary: "Compare the state with the actual cloud and cluster", load: () => import("../../tasks/drift-detect.ts") },
  { name: "drift diff", summary: "Show the exact differences between the state and the actual infrastructure", load: () => import("../../tasks/drift-diff.ts") },
  { name: "drift accept", summary: "Record the actual infrastructure in the state (state ← actual)", load: () => import("../../tasks/drift-accept.ts") },
  { name: "drift fix", summary: "Make the infrastructure match the configuration again (actual ← desired)", load: () => import("../../tasks/drift-fix.ts") },
  { name: "destroy", summary: "Delete everything NIC deployed, LoadBalancer leftovers first, resumable", load: () => import("../../tasks/destroy.ts") },
  { name: "import", summary: "Adopt a Terraform-made Nebari deployment (stages 02 and 03) into NIC state, changing nothing", load: () => import("../../tasks/import.ts") },
  { name: "version", summary: "Print the version, commit and registered providers", load: () => import("../../tasks/version.ts") },
];

/** Finds the longest command name that prefixes argv (for two-word commands such as `state unlock`). */
export function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const entry = COMMANDS.find((c) => c.name === name);
    if (entry) return { entry, rest: argv.slice(words) };
  }
  return undefined;
}
