import type { TaskContext, TaskMeta, TaskResult } from "../src/cli/task.ts";
import { PROVIDERS } from "../src/providers/registry.ts";
import { COMMIT, VERSION } from "../src/version.ts";

export const meta: TaskMeta = {
  name: "version",
  summary: "Print the version, commit and registered providers",
  usage: "nic version [--format text|json]",
  flags: {},
  examples: ["nic version", "nic version --format json"],
};

export async function run(_ctx: TaskContext): Promise<TaskResult> {
  const providers = PROVIDERS.map((p) => ({ name: p.name, config_key: p.configKey, capabilities: p.capabilities }));
  return {
    document: { success: true, version: VERSION, commit: COMMIT, runtime: `bun ${Bun.version}`, providers },
    text: [
      `nic ${VERSION} (commit ${COMMIT}, bun ${Bun.version})`,
      "providers:",
      ...providers.map((p) => `  ${p.name.padEnd(9)} ${p.config_key.padEnd(22)} ${p.capabilities.join(", ")}`),
    ].join("\n"),
  };
}
