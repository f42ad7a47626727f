// `make soak`, R1 with real runs: SOAK_DEPLOY_TRIALS (default 50) trials per state backend (SOAK_BACKENDS narrows them),
// each 8 compiled `nic deploy` processes started at once on one state. The first trial on a backend creates the stack,
// later ones update it. Prints every trial's time and per-backend figures; exits 1 on any violation.
import { DeployRace, PROCESSES } from "../test/reliability/deploy-race.ts";

const trials = Number(process.env.SOAK_DEPLOY_TRIALS ?? 50);
const only = process.env.SOAK_BACKENDS?.split(",");

const race = await DeployRace.start();
const backends = race.backends.filter((b) => !only || only.includes(b));
const failures: string[] = [];
const rows: string[] = [];
const started = performance.now();
console.log(`R1 deploy race: ${trials} trials per backend (${backends.join(", ")}), ${PROCESSES} concurrent \`nic deploy\` runs each`);
try {
  for (const backend of backends) {
    await race.use(backend);
    const durations: number[] = [];
    const counts = { clean: 0, overlaps: 0, lost: 0, corrupt: 0, failedRuns: 0, untracked: 0 };
    for (let i = 1; i <= trials; i++) {
      const { violations, ms } = await race.trial();
      durations.push(ms);
      if (!violations.length) counts.clean++;
      counts.overlaps += violations.filter((v) => v.includes("while pid")).length;
      counts.lost += violations.filter((v) => v.includes("lost") || v.startsWith("sandbox has")).length;
      counts.corrupt += violations.filter((v) => v.includes("missing or corrupt")).length;
      counts.failedRuns += violations.filter((v) => / exited \d/.test(v)).length;
      counts.untracked += violations.filter((v) => v.startsWith("untracked") || v.startsWith("duplicate")).length;
      for (const v of violations) failures.push(`${backend} trial ${i}: ${v}`);
      console.log(`  ${backend} trial ${String(i).padStart(2)}: ${violations.length ? `FAILED (${violations.length} violations)` : "ok"} ${Math.round(ms)} ms`);
    }
    durations.sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)] ?? 0;
    const total = durations.reduce((a, b) => a + b, 0);
    rows.push(
      `${backend}: ${counts.clean}/${trials} trials clean (${trials * PROCESSES} deploys); ${counts.overlaps} overlapping holders, ${counts.corrupt} corrupt states, ${counts.lost} lost updates, ` +
        `${counts.failedRuns} failed runs, ${counts.untracked} untracked or duplicate resources; median ${Math.round(median)} ms, total ${(total / 1000).toFixed(0)} s`,
    );
  }
} finally {
  await race.stop();
}
for (const row of rows) console.log(`R1 deploy race ${row}`);
console.log(`R1 deploy race: ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
for (const f of failures) console.log(`FAILED ${f}`);
process.exitCode = failures.length ? 1 : 0;
