// Asking before a change, with consola's prompt. Only when a person is there: stdin, stdout and stderr all terminals
// (the prompt draws on stdout); Nebari's subprocess and CI never see a question.
import { NicError } from "./errors.ts";
import { isTerminal } from "./terminal.ts";

export function confirmingOnTerminal(): boolean {
  return isTerminal(0) && isTerminal(1) && isTerminal(2);
}

/** Resolves when the answer is yes; a no (or Ctrl-C) is CONFIRMATION_REQUIRED, nothing changed. */
export async function askToApply(question: string): Promise<void> {
  const { createConsola } = await import("consola");
  const yes = await createConsola({ stdout: process.stderr }).prompt(question, { type: "confirm", initial: false, cancel: "default" });
  if (yes !== true) {
    throw new NicError("CONFIRMATION_REQUIRED", "Not confirmed; nothing was changed", {
      recovery: ["Rerun and answer yes, or pass --yes (--auto-approve) to apply without asking."],
    });
  }
}
