import { defineCommand } from "citty";
import type { NicMeta, TaskContext, TaskResult } from "../src/cli/task.ts";

const meta: NicMeta = {
  name: "completion",
  description: "Print a shell completion script (bash, zsh, fish, powershell), made by @bomb.sh/tab from the command definitions",
  examples: ["source <(nic completion bash)      # in ~/.bashrc", "nic completion zsh > \"${fpath[1]}/_nic\"", "nic completion fish > ~/.config/fish/completions/nic.fish"],
};

const SHELLS = ["bash", "zsh", "fish", "powershell"];

export default defineCommand({
  meta,
  args: { shell: { type: "positional", required: true, description: `One of ${SHELLS.join(", ")}` } },
  run: ({ data }) => run(data),
});

/** What the scripts call back on every TAB: `nic complete -- WORDS…` prints the candidates. */
export const complete = defineCommand({
  meta: { name: "complete", description: "Completion candidates for the words after --, for the shell scripts", hidden: true, variadic: true } as NicMeta,
  run: ({ data }) => candidates(data),
});

export async function run(ctx: TaskContext): Promise<TaskResult> {
  const shell = ctx.positionals[0]!;
  if (!SHELLS.includes(shell)) {
    const { NicError } = await import("../src/cli/errors.ts");
    throw new NicError("INPUT_INVALID", `No completion for "${shell}"; shells: ${SHELLS.join(", ")}`, { details: { shell } });
  }
  const script = await viaTab([shell]);
  return { document: { success: true, shell, script }, text: script };
}

async function candidates(ctx: TaskContext): Promise<TaskResult> {
  const lines = await viaTab(["--", ...ctx.positionals]);
  return { document: { success: true, candidates: lines.split("\n") }, text: lines };
}

/** Runs tab's `complete` command over a copy of NIC's command tree, collecting what it prints (it writes with console.log). */
async function viaTab(rawArgs: string[]): Promise<string> {
  const [{ default: tab }, { root }] = await Promise.all([import("@bomb.sh/tab/citty"), import("../src/cli/commands.ts")]);
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
