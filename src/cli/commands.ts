// The command tree. Sub-commands load lazily: only the command that runs (or whose help is shown) is imported.
import { defineCommand, type ArgsDef, type CommandDef } from "citty";

const load = (importer: () => Promise<{ default: CommandDef<any> }>) => () => importer().then((m) => m.default);

/** Flags every command takes, before or after the command's name. */
export const GLOBAL_ARGS = {
  format: { type: "enum", options: ["text", "json"], default: "text", description: "Result and log format" },
  "log-level": { type: "enum", options: ["debug", "info", "warn", "error"], default: "info", description: "Lowest log level shown on stderr" },
  color: { type: "boolean", default: true, description: "Colour on a terminal", negativeDescription: "No colour (as NO_COLOR=1 does)" },
  help: { type: "boolean", alias: ["h"], description: "Show help for the command" },
} satisfies ArgsDef;

const state = defineCommand({
  meta: { name: "state", description: "Inspect and repair NIC's state: show, pull, push, unlock" },
  subCommands: {
    show: load(() => import("../../tasks/state-show.ts")),
    pull: load(() => import("../../tasks/state-pull.ts")),
    push: load(() => import("../../tasks/state-push.ts")),
    unlock: load(() => import("../../tasks/state-unlock.ts")),
  },
});

const drift = defineCommand({
  meta: { name: "drift", description: "Compare the state with the actual cloud and cluster, and reconcile them" },
  subCommands: {
    detect: load(() => import("../../tasks/drift-detect.ts")),
    diff: load(() => import("../../tasks/drift-diff.ts")),
    accept: load(() => import("../../tasks/drift-accept.ts")),
    fix: load(() => import("../../tasks/drift-fix.ts")),
  },
});

export const root = defineCommand({
  meta: { name: "nic", description: "Nebari Infrastructure Core: Nebari stages 02 and 03 with native cloud SDKs" },
  args: GLOBAL_ARGS,
  subCommands: {
    deploy: load(() => import("../../tasks/deploy.ts")),
    destroy: load(() => import("../../tasks/destroy.ts")),
    status: load(() => import("../../tasks/status.ts")),
    validate: load(() => import("../../tasks/validate.ts")),
    import: load(() => import("../../tasks/import.ts")),
    kubeconfig: load(() => import("../../tasks/kubeconfig.ts")),
    output: load(() => import("../../tasks/output.ts")),
    state,
    drift,
    schema: load(() => import("../../tasks/schema.ts")),
    version: load(() => import("../../tasks/version.ts")),
    completion: load(() => import("../../tasks/completion.ts")),
    complete: () => import("../../tasks/completion.ts").then((m) => m.complete),
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
