// Asking before a change. Only when a person is there: stdin, stdout and stderr all terminals (consola's prompt draws on
// stdout) and text mode (in json mode stdout and stderr carry documents); Nebari's subprocess, CI and json never see a question.
// Yes/no questions use consola's prompt. A typed answer (destroy's project name, drift's "yes") is read with readline:
// consola's text prompt returns undefined under Bun and echoes every key twice (its bundled clack, bombshell-dev/clack#159).
import { NicError } from "./errors.ts";
import type { Format } from "./log.ts";
import { isTerminal } from "./terminal.ts";

/** How a command asks: destroy and drift take one, so tests can answer for the person. */
export interface Prompter {
  /** Whether a person can answer. */
  interactive: boolean;
  /** Asks for a typed answer (a project name, "yes"); a cancelled prompt answers "". */
  ask(question: string): Promise<string>;
}

export function confirmingOnTerminal(format: Format = "text"): boolean {
  return format === "text" && isTerminal(0) && isTerminal(1) && isTerminal(2);
}

/** The prompter of a real run: consola's text prompt, on a terminal in text mode. */
export function terminalPrompter(format: Format): Prompter {
  return { interactive: confirmingOnTerminal(format), ask: askText };
}

/** One typed line, asked on stderr (stdout carries only the result); Ctrl-C or Ctrl-D answers "". */
export async function askText(question: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const cancel = new AbortController();
  rl.on("SIGINT", () => cancel.abort());
  rl.on("close", () => cancel.abort());
  try {
    return (await rl.question(question, { signal: cancel.signal })).trim();
  } catch {
    process.stderr.write("\n");
    return "";
  } finally {
    rl.close();
  }
}

/** A yes/no question (consola's prompt), no by default; Ctrl-C is a no. */
export async function askYesNo(question: string): Promise<boolean> {
  const { createConsola } = await import("consola");
  return (await createConsola().prompt(question, { type: "confirm", initial: false, cancel: "default" })) === true;
}

/** Resolves when the answer is yes; a no (or Ctrl-C) is CONFIRMATION_REQUIRED, nothing changed. */
export async function askToApply(question: string): Promise<void> {
  if (!(await askYesNo(question))) {
    throw new NicError("CONFIRMATION_REQUIRED", "Not confirmed; nothing was changed", {
      recovery: ["Rerun and answer yes, or pass --yes (--auto-approve) to apply without asking."],
    });
  }
}
