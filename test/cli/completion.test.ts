// Shell completion from the command definitions (@bomb.sh/tab's citty adapter), proven in a real bash with bash-completion.
import { expect, test } from "bun:test";
import { dirname } from "node:path";
import { NIC, nic } from "../helpers/binary.ts";

/** Sources `nic completion bash` in bash, then completes `line` as pressing TAB at its end would. */
function completeInBash(words: string[]) {
  const script = [
    "source /usr/share/bash-completion/bash_completion",
    "source <(nic completion bash)",
    "complete -p nic",
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; COMP_LINE='${words.join(" ")}'; COMP_POINT=\${#COMP_LINE}`,
    "__nic_complete 2>/dev/null",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const run = Bun.spawnSync(["bash", "-c", script], { env: { PATH: `${dirname(NIC)}:${process.env.PATH}`, HOME: process.env.HOME ?? "/tmp" }, stderr: "pipe" });
  return { code: run.exitCode, lines: run.stdout.toString().trim().split("\n"), stderr: run.stderr.toString() };
}

test("bash: complete -p nic is registered, and TAB completes commands, sub-commands and flags", () => {
  const commands = completeInBash(["nic", "dep"]);
  expect(commands.code, commands.stderr).toBe(0);
  expect(commands.lines).toEqual(["complete -F __nic_complete nic", "deploy"]);
  expect(completeInBash(["nic", "state", "pu"]).lines.slice(1)).toEqual(["pull", "push"]);
  expect(completeInBash(["nic", "deploy", "--dry"]).lines.slice(1)).toEqual(["--dry-run"]);
  expect(completeInBash(["nic", "drift", ""]).lines.slice(1)).toEqual(["detect", "diff", "accept", "fix"]);
});

test("zsh, fish and powershell scripts call nic back; an unknown shell is an input error", () => {
  for (const shell of ["zsh", "fish", "powershell"]) {
    const run = nic(["completion", shell]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("nic complete");
  }
  expect(nic(["completion", "tcsh"]).code).toBe(3);
  expect(nic(["--help"]).stdout).not.toMatch(/^\s+complete\s/m); // the callback is hidden
});
