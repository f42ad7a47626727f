// Runs the compiled nic on a real pseudo-terminal (stdin, stdout and stderr all a TTY), typing each answer once its
// question has appeared, as a person at the keyboard would.
import { NIC, requireBinary } from "../helpers/binary.ts";

export interface TerminalRun {
  code: number;
  /** Everything the terminal showed. */
  seen: string;
  /** How many of the answers were typed (each only after its question appeared). */
  answered: number;
}

export async function onTerminal(args: string[], env: Record<string, string>, answers: [question: string, keys: string][] = []): Promise<TerminalRun> {
  requireBinary();
  let seen = "";
  let answered = 0;
  const child = Bun.spawn([NIC, ...args], {
    env: { ...process.env, ...env, NO_COLOR: "1" },
    terminal: {
      data(terminal, data) {
        seen += new TextDecoder().decode(data);
        const next = answers[answered];
        if (next && seen.includes(next[0])) {
          answered++;
          setTimeout(() => terminal.write(next[1]), 200);
        }
      },
    },
  });
  const code = await child.exited;
  child.terminal?.close();
  return { code, seen, answered };
}
