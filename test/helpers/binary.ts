// Runs the compiled nic binary (built by `make build`), so a broken build fails the tests.
import { existsSync } from "node:fs";
import { join } from "node:path";

export const NIC = join(import.meta.dir, "../../dist/nic");

export function requireBinary() {
  if (!existsSync(NIC)) throw new Error(`${NIC} is missing: run \`make build\` first (make test does)`);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function nic(args: string[], env: Record<string, string> = {}, cwd?: string): Run {
  requireBinary();
  const result = Bun.spawnSync([NIC, ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env }, cwd, stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** Like nic(), without blocking this process: needed when the test itself serves the sandbox the binary talks to. */
export async function nicAsync(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Run> {
  requireBinary();
  const child = Bun.spawn([NIC, ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env }, cwd, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}
