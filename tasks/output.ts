import { NicError } from "../src/cli/errors.ts";
import type { TaskContext, TaskResult } from "../src/cli/task.ts";

/** Nebari's keys carry Terraform's {"value": …}; the unified document's keys are plain. */
const valueOf = (entry: unknown) => (entry && typeof entry === "object" && "value" in entry ? (entry as { value: unknown }).value : entry);
const SENSITIVE = new Set(["kubernetes_credentials"]);

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const { openStateFromFlags } = await import("../src/state/cli.ts");
  const { outputPaths } = await import("../src/deploy/write-outputs.ts");
  const name = ctx.positionals[0];
  if (ctx.flags.raw && !name) throw new NicError("INPUT_INVALID", "--raw prints one value: name the output (nic output NAME --raw)", { details: { flag: "raw" } });
  const location = ctx.flags.outputs ? undefined : (await openStateFromFlags(ctx)).location;
  const { outputs: path } = outputPaths(String(ctx.flags.config), { outputs: ctx.flags.outputs as string | undefined, state: location }, ctx.cwd);
  const file = Bun.file(path);
  if (!(await file.exists())) {
    throw new NicError("STATE_NOT_FOUND", `No outputs at ${path}`, { details: { path }, recovery: ["Run `nic deploy` first, or pass --outputs FILE (or the --state the deploy used)."] });
  }
  const all = (await file.json()) as Record<string, unknown>;
  if (!name) {
    const width = Math.max(0, ...Object.keys(all).map((k) => k.length));
    const text = ctx.flags.json
      ? JSON.stringify(all, null, 2)
      : Object.entries(all).map(([k, v]) => `${k.padEnd(width)} = ${SENSITIVE.has(k) ? "<sensitive>" : JSON.stringify(valueOf(v))}`).join("\n");
    return { document: { success: true, path, outputs: all }, text };
  }
  if (!(name in all)) {
    const { closest } = await import("../src/cli/suggest.ts");
    const guess = closest(name, Object.keys(all));
    throw new NicError("INPUT_INVALID", `No output named "${name}" in ${path}`, { details: { name, path }, recovery: [guess ? `Did you mean \`nic output ${guess}\`?` : `Run \`nic output\` to list them.`] });
  }
  const value = valueOf(all[name]);
  if (ctx.flags.raw && (value === null || typeof value === "object")) {
    throw new NicError("INPUT_INVALID", `--raw prints strings, numbers and booleans; ${name} is ${value === null ? "null" : Array.isArray(value) ? "a list" : "an object"}`, { details: { name }, recovery: [`Use \`nic output ${name} --json\`.`] });
  }
  const text = ctx.flags.raw ? String(value) : JSON.stringify(value, null, ctx.flags.json ? 2 : 0);
  return { document: { success: true, path, name, value }, text };
}
