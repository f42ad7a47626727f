// The container image CI users run: built without a daemon, then run the way a runtime would (scripts/image-check.sh).
import { expect, test } from "bun:test";

function run(script: string) {
  const result = Bun.spawnSync(["bash", script], { stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

test("make image builds an OCI image whose nic runs version and validate as a non-root user, with no shell inside", () => {
  const built = run("scripts/image.sh");
  expect(built.err).toBe("");
  expect(built.code).toBe(0);
  expect(built.out).toMatch(/^built image nic:\d+\.\d+\.\d+ /m);

  const checked = run("scripts/image-check.sh");
  if (checked.code !== 0) console.error(checked.err);
  expect(checked.code).toBe(0);
  expect(checked.out).toContain("user 65532:65532, entrypoint /usr/local/bin/nic --help");
  expect(checked.out).toMatch(/^nic \d+\.\d+\.\d+ \(commit /m);
  expect(checked.out).toContain("nic validate inside the image: valid (aws, nicdemo-dev)");
}, 180_000);
