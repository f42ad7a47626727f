// The binary starts with JavaScriptCore's JIT tier-up thresholds raised (build.ts bakes STARTUP_JIT_POLICY in): nic's
// start-up is code that runs once (module evaluation, arktype building its shapes, parsing a small YAML file), and compiling
// it costs more than it saves. Measured on `nic validate` (P2): about a quarter less wall time and half the CPU. A command
// that does more than start up (deploy, import, a 1 MiB configuration) gets the normal JIT back for its real work.

export const STARTUP_JIT_POLICY = 100;

/** Back to JavaScriptCore's normal tier-up thresholds; no effect under `bun run`, which starts with them. */
export function normalJit(): void {
  Bun.unsafe.setJITPolicy(1);
}
