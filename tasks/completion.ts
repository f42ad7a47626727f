// `nic completion SHELL` prints a completion script made by @bomb.sh/tab from the command tree; `nic complete -- WORDS…`
// is what that script calls back on every TAB.
import { root, SHELLS } from "../src/cli/commands.ts";
import type { TaskContext, TaskResult } from "../src/cli/task.ts";

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const shell = ctx.positionals[0]!;
  if (!SHELLS.includes(shell)) {
    const { NicError } = await import("../src/cli/errors.ts");
    throw new NicError("INPUT_INVALID", `No completion for "${shell}"; shells: ${SHELLS.join(", ")}`, { details: { shell } });
  }
  const script = await viaTab([shell]);
  return { document: { success: true, shell, script }, text: script };
}

export async function candidates(ctx: TaskContext): Promise<TaskResult> {
  const lines = await viaTab(["--", ...ctx.positionals]);
  return { document: { success: true, candidates: lines.split("\n") }, text: lines };
}

/** Runs tab's `complete` command over a copy of NIC's command tree, collecting what it prints (it writes with console.log). */
async function viaTab(rawArgs: string[]): Promise<string> {
  const { default: tab } = await import("@bomb.sh/tab/citty");
  const tree = { ...root, subCommands: { ...(root.subCommands as Record<string, unknown>) } };
  await tab(tree as typeof root);
  const command = (tree.subCommands as Record<string, any>).complete;
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => void printed.push(parts.join(" "));
  try {
    await command.run({ rawArgs, args: { _: [] }, cmd: command });
  } finally {
    console.log = log;
  }
  return printed.join("\n");
}
