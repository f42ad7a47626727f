// `make soak`: many concurrency trials per state backend (default 50; SOAK_TRIALS, SOAK_PROCESSES, SOAK_TIMES override),
// each with N processes incrementing one counter under the lock. Prints per-backend figures; exits 1 on any violation.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulators } from "../test/state/emulators.ts";
import { race } from "../test/state/race.ts";

const trials = Number(process.env.SOAK_TRIALS ?? 50);
const processes = Number(process.env.SOAK_PROCESSES ?? 8);
const times = Number(process.env.SOAK_TIMES ?? 2);
const only = process.env.SOAK_BACKENDS?.split(",");

const scratch = mkdtempSync(join(tmpdir(), "nic-soak-"));
const emulators = await startEmulators();
let failed = 0;
console.log(`soak: ${trials} trials per backend, ${processes} processes x ${times} locked increments each`);
console.log("backend       trials  failed  increments  median ms  p95 ms  max ms  ms/lock");
try {
  for (const c of emulators.cases) {
    if (only && !only.includes(c.name)) continue;
    const durations: number[] = [];
    let bad = 0;
    let increments = 0;
    for (let i = 0; i < trials; i++) {
      const result = await race(c, { processes, times, scratch });
      durations.push(result.ms);
      increments += result.counter;
      if (result.violations.length) {
        bad++;
        console.error(`  ${c.name} trial ${i + 1}: ${result.violations.join("; ")}`);
      }
    }
    failed += bad;
    durations.sort((a, b) => a - b);
    const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!;
    const perLock = durations.reduce((a, b) => a + b, 0) / (trials * processes * times);
    console.log(
      [c.name.padEnd(12), String(trials).padStart(6), String(bad).padStart(7), String(increments).padStart(11), at(0.5).toFixed(0).padStart(10), at(0.95).toFixed(0).padStart(7), at(1).toFixed(0).padStart(7), perLock.toFixed(0).padStart(8)].join(" "),
    );
  }
} finally {
  await emulators.stop();
  rmSync(scratch, { recursive: true, force: true });
}
console.log(failed ? `soak: ${failed} failed trials` : "soak: no violations");
process.exitCode = failed ? 1 : 0;
