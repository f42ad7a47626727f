// Confirmation before NIC changes or deletes things: a prompt on a terminal, --yes without one, refusal otherwise.
// `nic destroy` asks for the project name to be typed; `nic drift accept|fix` for "yes".
import { NicError, type ErrorCode } from "../cli/errors.ts";
import type { Prompter } from "../cli/confirm.ts";

export type { Prompter };

export interface DestroySummary {
  projectName: string;
  location: string;
  resources: number;
  importedFromTerraform: number;
}

export async function confirmDestroy(summary: DestroySummary, yes: boolean, prompter: Prompter): Promise<void> {
  if (yes) return;
  const refuse = (why: string) =>
    refusal("DESTROY_REFUSED", `nic destroy ${why}; nothing was deleted`, [
      "Rerun on a terminal and type the project name when asked, or pass --yes to confirm non-interactively.",
      "Run `nic destroy --dry-run` to see what would be deleted, in order.",
    ]);
  if (!prompter.interactive) throw refuse("needs --yes when there is no terminal to confirm on");
  const imported = summary.importedFromTerraform
    ? ` ${summary.importedFromTerraform} of them were imported from Terraform: Terraform will no longer manage them either.`
    : "";
  const answer = await prompter.ask(
    `This deletes ${summary.resources} resources of project ${summary.projectName} (state ${summary.location}), and every Kubernetes LoadBalancer service in the cluster.${imported}\n` +
      `There is no undo. Type the project name (${summary.projectName}) to confirm: `,
  );
  if (answer !== summary.projectName) throw refuse(`was not confirmed (typed "${answer}", not "${summary.projectName}")`);
}

/** For changes short of deletion: `question` is shown, "yes" proceeds. */
export async function confirmChange(question: string, yes: boolean, prompter: Prompter): Promise<void> {
  if (yes) return;
  const recovery = ["Rerun on a terminal and answer yes, or pass --yes to confirm non-interactively."];
  if (!prompter.interactive) throw refusal("CONFIRMATION_REQUIRED", "This command changes things and needs --yes when there is no terminal to confirm on; nothing was changed", recovery);
  const answer = await prompter.ask(`${question} Only "yes" proceeds: `);
  if (answer !== "yes") throw refusal("CONFIRMATION_REQUIRED", `Not confirmed (answered "${answer}"); nothing was changed`, recovery);
}

function refusal(code: ErrorCode, message: string, recovery: string[]): NicError {
  return new NicError(code, message, { recovery });
}
