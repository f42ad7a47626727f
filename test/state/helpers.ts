// Spawning NIC processes for the state tests: the real CLI (bun src/main.ts, or NIC_BIN such as dist/nic) and the test driver.
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
export const DRIVER = join(import.meta.dir, "driver.ts");

/** The CLI as a command line: NIC_BIN=dist/nic runs the compiled binary instead of the sources. */
export function nicCommand(): string[] {
  return process.env.NIC_BIN ? [process.env.NIC_BIN] : [process.execPath, join(ROOT, "src/main.ts")];
}

export async function nic(args: string[], env: Record<string, string>, cwd = ROOT) {
  const child = Bun.spawn([...nicCommand(), ...args], { cwd, env: { ...process.env, ...env, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

/** Starts the driver holding the lock and resolves once it reports "locked". */
export async function holdLock(location: string, env: Record<string, string>) {
  const child = Bun.spawn([process.execPath, DRIVER, "hold", location], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  let seen = "";
  while (!seen.includes("locked")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the driver exited before locking: ${seen}`);
    seen += new TextDecoder().decode(value);
  }
  return child;
}

/** Runs the CLI on a pseudo-terminal and presses `answer` once it asks whether to break the lock (consola's yes/no prompt takes the key alone). */
export async function nicOnTerminal(args: string[], env: Record<string, string>, answer: string) {
  let seen = "";
  let answered = false;
  const child = Bun.spawn([...nicCommand(), ...args], {
    env: { ...process.env, ...env, NO_COLOR: "1" },
    terminal: {
      data(terminal, data) {
        seen += new TextDecoder().decode(data);
        if (!answered && seen.includes("Break the lock")) {
          answered = true;
          terminal.write(answer);
        }
      },
    },
  });
  const code = await child.exited;
  child.terminal?.close();
  return { code, output: seen, asked: answered };
}
