// stdout arrives whole and clean wherever it goes: a file opened O_APPEND (`>>`, every GNU make recipe), a pipe, a slow reader.
// Bun.write(Bun.stdout) fallocated the file first, so an appended result over 1 KiB was preceded by a run of NUL bytes.
import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NIC, requireBinary } from "../helpers/binary.ts";
import { tempDir, writeTemp } from "../helpers/files.ts";

const WRITER = join(import.meta.dir, "fixtures/write-bytes.ts");
const SIZES = [1, 1023, 1025, 70_000, 5 * 1024 * 1024];
const sh = (script: string, cwd: string) => Bun.spawnSync(["sh", "-c", script], { cwd, env: { ...process.env, NIC, BUN: process.execPath, WRITER }, stderr: "pipe" });
const nuls = (bytes: Buffer) => bytes.filter((b) => b === 0).length;

function bigConfig(): string {
  const groups = Array.from({ length: 3000 }, (_, i) => `    g${i}: {instance: m5.large}`).join("\n");
  return writeTemp("big.yaml", `project_name: demo\namazon_web_services:\n  region: us-east-1\n  kubernetes_version: '1.33'\n  node_groups:\n${groups}\n`);
}

test("appending (>>) keeps what the file held and adds exactly the document, for 1 B to 5 MB", () => {
  const dir = tempDir();
  for (const n of SIZES) {
    const file = join(dir, `out-${n}`);
    writeFileSync(file, "before\n");
    const run = sh(`"$BUN" "$WRITER" ${n} >> out-${n} && "$BUN" "$WRITER" ${n} >> out-${n}`, dir);
    expect(run.exitCode).toBe(0);
    const bytes = readFileSync(file);
    expect({ n, length: bytes.length, nuls: nuls(bytes) }).toEqual({ n, length: 7 + 2 * n, nuls: 0 });
  }
});

test("the compiled binary under >> and in a make recipe writes no NUL bytes", () => {
  requireBinary();
  const dir = tempDir();
  const config = bigConfig();
  writeFileSync(join(dir, "log"), "start\n");
  expect(sh(`"$NIC" validate -f ${config} --format json >> log`, dir).exitCode).toBe(0);
  writeFileSync(join(dir, "Makefile"), `all:\n\t"$$NIC" validate -f ${config} --format json\n\t"$$NIC" version\n`);
  expect(sh("make -s > make.log", dir).exitCode).toBe(0);
  for (const name of ["log", "make.log"]) {
    const bytes = readFileSync(join(dir, name));
    expect({ name, nuls: nuls(bytes) }).toEqual({ name, nuls: 0 });
    expect(bytes.length).toBeGreaterThan(500_000);
  }
  const doc = readFileSync(join(dir, "log"), "utf8").slice("start\n".length);
  expect(JSON.parse(doc).node_groups).toHaveLength(3000);
  expect(readFileSync(join(dir, "make.log"), "utf8")).toMatch(/\}\nnic \d+\.\d+\.\d+/);
});

test("through a pipe and to a slow reader, every size arrives whole", async () => {
  for (const n of SIZES) {
    const child = Bun.spawn([process.execPath, WRITER, String(n)], { stdout: "pipe" });
    let length = 0;
    for await (const chunk of child.stdout) {
      length += chunk.length;
      if (n > 70_000) await Bun.sleep(2); // a slow reader: the writer must wait, not drop or exit early
    }
    expect(await child.exited).toBe(0);
    expect({ n, length }).toEqual({ n, length: n });
  }
});

test("stderr closed by its reader: the logs are dropped, the exit code still says how the run ended", async () => {
  requireBinary();
  const config = join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml");
  const bad = writeTemp("bad.yaml", "project_name: 9\n");
  for (const [args, expected] of [
    [["validate", "-f", config, "--log-level", "debug"], 0],
    [["validate", "-f", bad, "--log-level", "debug", "--format", "text"], 3],
  ] as const) {
    const child = Bun.spawn([NIC, ...args], { stdout: "pipe", stderr: "pipe" });
    await child.stderr.cancel();
    await new Response(child.stdout).text();
    expect({ args, code: await child.exited }).toEqual({ args, code: expected });
  }
});
