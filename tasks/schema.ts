import type { TaskContext, TaskResult } from "../src/cli/task.ts";

/** Text mode prints the bare schema for editors; json mode wraps it in the result protocol. */
export async function run(_ctx: TaskContext): Promise<TaskResult> {
  const { configJsonSchema } = await import("../src/config/json-schema.ts");
  const schema = configJsonSchema();
  return { document: { success: true, schema }, text: JSON.stringify(schema, null, 2) };
}
