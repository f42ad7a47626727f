import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(_ctx: TaskContext): Promise<TaskResult> {
  const { PROVIDERS } = await import("../src/providers/registry.ts");
  const { COMMIT, VERSION } = await import("../src/version.ts");
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
