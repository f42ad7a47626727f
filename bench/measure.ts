// Timing helpers for benchmarks: wall-clock medians over repeated runs of whole commands.

export interface Timing {
  median_ms: number;
  min_ms: number;
  runs: number;
}

export function timeCommand(argv: string[], { runs = 15, warmup = 3 } = {}): Timing {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = performance.now();
    const result = Bun.spawnSync(argv, { stdout: "ignore", stderr: "ignore" });
    const elapsed = performance.now() - started;
    if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} exited with ${result.exitCode}`);
    if (i >= warmup) samples.push(elapsed);
  }
  samples.sort((a, b) => a - b);
  return { median_ms: round(samples[Math.floor(samples.length / 2)]!), min_ms: round(samples[0]!), runs };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
