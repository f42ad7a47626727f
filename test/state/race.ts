// The concurrency trial shared by the test and `make soak`: N processes contend for one state, each adding 1 to a counter
// under the lock, logging "acquire/release pid counter" to a shared append-only file while they hold it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openBackend } from "../../src/state/open.ts";
import { readState } from "../../src/state/store.ts";
import type { BackendCase } from "./emulators.ts";
import { DRIVER } from "./helpers.ts";

export interface RaceResult {
  /** Increments expected and found in the final state. */
  expected: number;
  counter: number;
  /** Most holders seen at once in the log (must be 1). */
  maxHolders: number;
  /** Everything that went wrong: overlapping holders, lost updates, failed processes. Empty when the trial passed. */
  violations: string[];
  ms: number;
}

export async function race(c: BackendCase, opts: { processes: number; times: number; scratch: string }): Promise<RaceResult> {
  const location = await c.newLocation();
  const log = join(opts.scratch, `race-${c.name}-${crypto.randomUUID()}.log`);
  await Bun.write(log, "");
  const started = performance.now();
  const children = Array.from({ length: opts.processes }, () =>
    Bun.spawn([process.execPath, DRIVER, "increment", location, log, String(opts.times)], { env: { ...process.env, ...c.env }, stdout: "ignore", stderr: "pipe" }),
  );
  const exits = await Promise.all(children.map(async (child) => ({ code: await child.exited, stderr: await new Response(child.stderr).text() })));
  const ms = performance.now() - started;

  const violations: string[] = [];
  exits.forEach((e, i) => e.code !== 0 && violations.push(`process ${i} exited ${e.code}: ${e.stderr.trim().split("\n").filter((l) => /error/i.test(l)).slice(0, 3).join(" | ")}`));
  let holder: string | undefined;
  let maxHolders = 0;
  let holders = 0;
  let last = 0;
  for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) {
    const [event, pid, value] = line.split(" ");
    const counter = Number(value);
    if (event === "acquire") {
      holders++;
      maxHolders = Math.max(maxHolders, holders);
      if (holders > 1) violations.push(`pid ${pid} acquired while pid ${holder} held the lock`);
      if (counter !== last) violations.push(`pid ${pid} read counter ${counter}, expected ${last}: an update was lost`);
      holder = pid;
    } else {
      holders--;
      if (pid !== holder) violations.push(`pid ${pid} released a lock held by ${holder}`);
      last = counter;
    }
  }
  const expected = opts.processes * opts.times;
  const final = await readState(await openBackend(location, { ...process.env, ...c.env }));
  const counter = final?.state.metadata.deploy_count ?? 0;
  if (counter !== expected) violations.push(`final counter ${counter}, expected ${expected}`);
  if (final?.state.serial !== expected + 1) violations.push(`final serial ${final?.state.serial}, expected ${expected + 1}`);
  return { expected, counter, maxHolders, violations, ms };
}
