// make man: a page per command from the same definitions as --help, readable by man(1).
import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/files.ts";

test("every visible command gets a page that man renders, with its flags, examples, environment and exit codes", () => {
  const out = tempDir("nic-man-");
  const made = Bun.spawnSync([process.execPath, join(import.meta.dir, "../../scripts/man.ts"), out], { stderr: "pipe" });
  expect(made.exitCode, made.stderr.toString()).toBe(0);
  const pages = readdirSync(out).sort();
  for (const page of ["nic.1", "nic-deploy.1", "nic-state.1", "nic-state-pull.1", "nic-drift-fix.1", "nic-output.1", "nic-completion.1"]) expect(pages).toContain(page);
  expect(pages).not.toContain("nic-complete.1"); // the hidden completion callback
  const render = (page: string) => Bun.spawnSync(["man", "-l", join(out, page)], { env: { ...process.env, MANWIDTH: "120", MANPAGER: "cat", PAGER: "cat" } }).stdout.toString();
  const deploy = render("nic-deploy.1");
  expect(deploy).toContain("--dry-run");
  expect(deploy).toContain("--auto-approve");
  expect(deploy).toContain("EXAMPLES");
  const top = render("nic.1");
  for (const word of ["ENVIRONMENT", "NO_COLOR", "EXIT STATUS", "nic-deploy(1)"]) expect(top).toContain(word);
});
