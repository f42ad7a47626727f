import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";

const meta: NicMeta = {
  name: "schema",
  description: "Print the JSON Schema (2020-12) of the configuration sections NIC reads",
  examples: ["nic schema > nebari-config.schema.json   # then: # yaml-language-server: $schema=nebari-config.schema.json"],
};

export default defineCommand({
  meta,
  args: {},
  run: ({ data }) => run(data),
});

/** Text mode prints the bare schema for editors; json mode wraps it in the result protocol. */
export async function run(_ctx: TaskContext): Promise<TaskResult> {
  const { configJsonSchema } = await import("../src/config/json-schema.ts");
  const schema = configJsonSchema();
  return { document: { success: true, schema }, text: JSON.stringify(schema, null, 2) };
}
