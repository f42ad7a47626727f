import type { TaskContext, TaskMeta, TaskResult } from "../src/cli/task.ts";

export const meta: TaskMeta = {
  name: "schema",
  summary: "Print the JSON Schema (2020-12) of the configuration sections NIC reads",
  usage: "nic schema > nebari-config.schema.json",
  flags: {},
  examples: ["nic schema > nebari-config.schema.json   # then: # yaml-language-server: $schema=nebari-config.schema.json"],
};

/** Text mode prints the bare schema for editors; json mode wraps it in the result protocol. */
export async function run(_ctx: TaskContext): Promise<TaskResult> {
  const { configJsonSchema } = await import("../src/config/json-schema.ts");
  const schema = configJsonSchema();
  return { document: { success: true, schema }, text: JSON.stringify(schema, null, 2) };
}
