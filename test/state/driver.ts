// A test-only NIC process for the concurrency, crash and signal tests. No CLI command mutates state yet (deploy belongs
// to another issue), so this drives the same library code the CLI uses: openBackend + withStateLock + session.update.
//   increment LOCATION LOG TIMES   take the lock TIMES times; each time log "acquire/release pid counter" and add 1
//   hold LOCATION                  take the lock, print "locked", then wait; the first SIGINT ends the work politely
//   stubborn LOCATION              like hold, but ignores the first SIGINT (tests the second-signal path); prints
//                                  "interrupted" once it has seen the first, so a test sends the second only then
//   write-loop LOCATION            take the lock and rewrite the state forever (the crash test kills it mid-write)
import { appendFileSync } from "node:fs";
import { newState } from "../../src/state/format.ts";
import { openBackend } from "../../src/state/open.ts";
import { withStateLock, type StateSession } from "../../src/state/session.ts";

const [mode, location, ...rest] = process.argv.slice(2);
const backend = await openBackend(location!);
const counterOf = (session: StateSession) => session.state?.metadata.deploy_count ?? 0;

async function ensureState(session: StateSession) {
  if (!session.state) await session.save(newState({ provider: "aws", projectName: "race", region: "us-west-2" }));
}

switch (mode) {
  case "increment": {
    const [log, times] = rest;
    for (let i = 0; i < Number(times); i++) {
      await withStateLock(
        backend,
        "increment",
        async (session) => {
          appendFileSync(log!, `acquire ${process.pid} ${counterOf(session)}\n`);
          await ensureState(session);
          const written = await session.update((s) => void s.metadata.deploy_count++);
          appendFileSync(log!, `release ${process.pid} ${written.metadata.deploy_count}\n`);
        },
        { timeoutMs: 600_000 },
      );
    }
    break;
  }
  case "hold":
  case "stubborn":
    await withStateLock(backend, mode, async (session) => {
      await ensureState(session);
      console.log("locked");
      await new Promise<void>((resolve) => {
        session.signal.addEventListener("abort", () => (mode === "hold" ? resolve() : console.log("interrupted")));
        setInterval(() => {}, 1000);
      });
    });
    process.exit(0);
  case "write-loop":
    await withStateLock(backend, "write-loop", async (session) => {
      await ensureState(session);
      console.log("locked");
      for (;;) await session.update((s) => void s.metadata.deploy_count++);
    });
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
