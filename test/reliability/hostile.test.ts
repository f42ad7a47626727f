// R4 hostile input: over a thousand seeded malformed configs, NIC states and Terraform states through the library entry points,
// then odd flags and paths through the compiled binary. Every failure must be a NicError with a known code, and nothing may be written.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES, NicError } from "../../src/cli/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { newState, serializeState } from "../../src/state/format.ts";
import { parseState } from "../../src/state/migrate.ts";
import { parseTerraformState } from "../../src/terraform/tfstate.ts";
import { NIC, requireBinary } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { jsonNestingBomb, malformedJson, mutateText, nestedInside, prng, yamlAliasBomb, yamlNestingBomb } from "./generate.ts";

const ROOT = join(import.meta.dir, "../..");
const CONFIGS = [join(ROOT, "fixtures/configs/demo-aws.yaml"), ...readdirSync(join(ROOT, "fixtures/configs/design-doc")).map((f) => join(ROOT, "fixtures/configs/design-doc", f))];
const TFSTATES = readdirSync(join(ROOT, "fixtures/tfstate")).map((f) => join(ROOT, "fixtures/tfstate", f));
const SEED = 20261127;

function validState(): string {
  const state = newState({ provider: "aws", projectName: "nicdemo", region: "us-east-1" }, new Date("2026-01-01T00:00:00Z"));
  const at = "2026-01-01T00:00:00.000Z";
  state.resources["aws/vpc/main"] = { kind: "vpc", provider_id: "vpc-0123", attributes: { cidr_block: "10.10.0.0/16" }, imported_from_terraform: false, created_at: at, updated_at: at };
  state.resources["aws/subnet/a"] = { kind: "subnet", provider_id: "subnet-1", attributes: {}, depends_on: ["aws/vpc/main"], imported_from_terraform: true, created_at: at, updated_at: at };
  state.pending_operations.push({ id: "op-1", address: "aws/subnet/b", operation: "create", idempotency_token: "tok", started_at: at });
  return serializeState(state);
}

interface Outcome {
  input: string;
  verdict: "accepted" | string;
}
const outcomes: Outcome[] = [];

/** Runs one entry point; a NicError with a known code (not INTERNAL_ERROR) is the only acceptable failure. */
function attempt(input: string, run: () => unknown): void {
  try {
    run();
    outcomes.push({ input, verdict: "accepted" });
  } catch (err) {
    const known = err instanceof NicError && err.code in ERROR_CODES && err.code !== "INTERNAL_ERROR";
    outcomes.push({ input, verdict: known ? (err as NicError).code : `UNCAUGHT ${(err as Error)?.name}: ${String((err as Error)?.message).slice(0, 200)}` });
  }
}
const uncaught = (prefix: string) => outcomes.filter((o) => o.input.startsWith(prefix) && o.verdict.startsWith("UNCAUGHT"));

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const fixtureHashes = () => Object.fromEntries([...CONFIGS, ...TFSTATES].map((p) => [p, sha(p)]));
let before: Record<string, string>;
let dir: string;
beforeAll(() => {
  before = fixtureHashes();
  dir = tempDir("nic-hostile-");
});
afterAll(() => {
  console.log(`R4: ${outcomes.length} malformed inputs in process, ${outcomes.filter((o) => o.verdict === "accepted").length} accepted, ${outcomes.filter((o) => o.verdict.startsWith("UNCAUGHT")).length} uncaught`);
});

describe("in process", () => {
  test("400 malformed configurations, an alias bomb and a nesting bomb: loadConfig throws only NicErrors", () => {
    const r = prng(SEED);
    const texts = CONFIGS.map((p) => readFileSync(p, "utf8"));
    const cases: Array<[string, string]> = [["alias-bomb", yamlAliasBomb()], ["nesting-bomb", yamlNestingBomb()], ["binary", String.fromCharCode(...Array.from({ length: 512 }, () => r.int(256)))]];
    for (let i = 0; i < 400; i++) {
      let text = r.pick(texts);
      for (let n = 1 + r.int(3); n > 0; n--) text = mutateText(text, r);
      cases.push([`mutant-${i}`, text]);
    }
    for (const [name, text] of cases) {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, text);
      const written = sha(file);
      attempt(`config ${name}`, () => loadConfig(file, { env: {} }));
      expect(sha(file)).toBe(written);
    }
    expect(outcomes.find((o) => o.input === "config alias-bomb")?.verdict).toBe("CONFIG_INVALID");
    expect(uncaught("config")).toEqual([]);
  }, 60_000);

  test("300 malformed NIC states and JSON bombs: parseState throws only STATE_INVALID", () => {
    const r = prng(SEED + 1);
    const valid = validState();
    attempt("state valid", () => parseState(valid, "valid"));
    expect(outcomes.at(-1)?.verdict).toBe("accepted");
    attempt("state nesting-bomb", () => parseState(jsonNestingBomb(), "bomb"));
    attempt("state nested-inside", () => parseState(nestedInside(valid), "nested"));
    for (let i = 0; i < 300; i++) attempt(`state mutant-${i}`, () => parseState(malformedJson(valid, r), `mutant-${i}`));
    const verdicts = new Set(outcomes.filter((o) => o.input.startsWith("state ")).map((o) => o.verdict));
    expect(uncaught("state")).toEqual([]);
    expect([...verdicts].filter((v) => v !== "accepted" && v !== "STATE_INVALID")).toEqual([]);
  });

  test("300 malformed Terraform states and JSON bombs: parseTerraformState throws only TFSTATE errors", () => {
    const r = prng(SEED + 2);
    const texts = TFSTATES.map((p) => readFileSync(p, "utf8"));
    attempt("tfstate nesting-bomb", () => parseTerraformState(jsonNestingBomb(), "bomb"));
    attempt("tfstate nested-inside", () => parseTerraformState(nestedInside(texts[0]!), "nested"));
    for (let i = 0; i < 300; i++) attempt(`tfstate mutant-${i}`, () => parseTerraformState(malformedJson(r.pick(texts), r), `mutant-${i}`));
    expect(uncaught("tfstate")).toEqual([]);
    const verdicts = new Set(outcomes.filter((o) => o.input.startsWith("tfstate ")).map((o) => o.verdict));
    expect([...verdicts].filter((v) => !["accepted", "TFSTATE_INVALID", "TFSTATE_UNSUPPORTED_VERSION"].includes(v))).toEqual([]);
  });

  test("over a thousand inputs in all, most of them refused, and no fixture changed", () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(1000);
    expect(outcomes.filter((o) => o.verdict !== "accepted").length).toBeGreaterThan(outcomes.length / 2);
    expect(fixtureHashes()).toEqual(before);
  });
});

/** The binary with a deadline: a hang (e.g. blocking on a FIFO) is a failure, not a stuck CI job. */
async function nicWithDeadline(args: string[], cwd: string, deadlineMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  requireBinary();
  const child = Bun.spawn([NIC, ...args], {
    cwd,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    // Any attempt to reach AWS fails at once instead of waiting on the network.
    env: { PATH: process.env.PATH ?? "", HOME: cwd, AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1", AWS_MAX_ATTEMPTS: "1" },
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  return { code: child.signalCode ? null : code, stdout, stderr };
}

describe("the binary", () => {
  test("flag combinations and odd paths give a structured error document with the table's exit code, and write nothing", async () => {
    const work = tempDir("nic-hostile-bin-");
    const config = join(work, "nebari-config.yaml");
    writeFileSync(config, readFileSync(CONFIGS[0]!, "utf8"));
    const state = join(work, "nic-state.json");
    writeFileSync(state, validState());
    mkdirSync(join(work, "a-directory"));
    const fifo = join(work, "a-fifo");
    Bun.spawnSync(["mkfifo", fifo]);
    const huge = join(work, "huge.json");
    writeFileSync(huge, Buffer.alloc(65 * 1024 * 1024, "x"));
    const bomb = join(work, "bomb.json");
    writeFileSync(bomb, jsonNestingBomb());
    const aliasBomb = join(work, "alias-bomb.yaml");
    writeFileSync(aliasBomb, yamlAliasBomb());
    const yamlBomb = join(work, "nesting-bomb.yaml");
    writeFileSync(yamlBomb, yamlNestingBomb());
    const garbage = join(work, "garbage.json");
    writeFileSync(garbage, "\u0000\u0001not json at all");
    const missing = join(work, "missing");
    const paths = [missing, join(work, "a-directory"), fifo, huge, bomb, garbage];
    const statePaths = paths.filter((p) => p !== fifo); // see the known bugs below
    const absent = join(work, "new-state.json");

    const invocations: string[][] = [
      [],
      ["nonsense"],
      ["state"],
      ["drift", "nonsense"],
      ["validate", "--no-such-flag"],
      ["validate", "-f"],
      ["validate", "-f", config, "--format", "xml"],
      ["validate", "-f", config, "--log-level", "loud"],
      ["validate", "-f", config, "--format"],
      ["validate", "-f", aliasBomb],
      ["validate", "-f", yamlBomb],
      ["deploy", "-f", config, "--state", absent, "--lock-timeout", "forever"],
      ["deploy", "-f", config, "--state", absent, "--parallelism", "-1"],
      ["deploy", "-f", aliasBomb, "--state", absent],
      ["destroy", "-f", config, "--state", absent, "--yes", "--no-such-flag"],
      ["import", "-f", config, "--state", absent],
      ["state", "push", garbage, "-f", config, "--state", state],
      ["state", "push", bomb, "-f", config, "--state", state],
      ["state", "push", join(work, "a-directory"), "-f", config, "--state", state],
      ["state", "unlock", "--state", state, "-f", config],
      ["drift", "detect", "-f", config, "--state", bomb],
      ["status", "-f", config, "--state", garbage],
      ...statePaths.filter((p) => p !== bomb).map((p) => ["validate", "-f", p]),
      ["validate", "-f", fifo],
      ...statePaths.map((p) => ["state", "show", "-f", config, "--state", p]),
      ...statePaths.map((p) => ["state", "pull", "-f", config, "--state", p]),
      ...paths.map((p) => ["import", "--from-terraform", "-f", config, "--terraform-state-02", p, "--state", absent]),
    ];
    const hashes = () => Object.fromEntries([config, state, garbage, bomb, aliasBomb, yamlBomb].map((p) => [p, sha(p)]));
    const stateBefore = hashes();
    const problems = await structuredFailures(invocations, work);
    console.log(`R4: ${invocations.length} binary invocations, ${problems.length} problems`);
    expect(problems).toEqual([]);
    expect(hashes()).toEqual(stateBefore);
    expect(existsSync(absent)).toBe(false);
    expect(readdirSync(work).sort()).toEqual(["a-directory", "a-fifo", "alias-bomb.yaml", "bomb.json", "garbage.json", "huge.json", "nebari-config.yaml", "nesting-bomb.yaml", "nic-state.json"]);
    expect(statSync(huge).size).toBe(65 * 1024 * 1024);
  }, 120_000);

  // Found by this suite: FIFOs blocked the state readers, a 65 MiB state kept JSON.parse busy, 100,000 nested "[" stalled the YAML parser.
  test("FIFOs as state, nesting bombs as state and config: each gives an error within 5 s", async () => {
    const work = tempDir("nic-hostile-fifo-");
    writeFileSync(join(work, "nebari-config.yaml"), readFileSync(CONFIGS[0]!, "utf8"));
    writeFileSync(join(work, "nic-state.json"), validState());
    Bun.spawnSync(["mkfifo", join(work, "a-fifo")]);
    writeFileSync(join(work, "huge-bomb.json"), Buffer.alloc(65 * 1024 * 1024, "["));
    writeFileSync(join(work, "bomb.yaml"), jsonNestingBomb());
    const invocations = [
      ["state", "show", "--state", "a-fifo"],
      ["state", "pull", "--state", "a-fifo"],
      ["state", "push", "a-fifo", "--state", "nic-state.json"],
      ["state", "show", "--state", "huge-bomb.json"],
      ["validate", "-f", "bomb.yaml"],
    ];
    const problems = await structuredFailures(invocations, work, 5_000);
    expect(problems).toEqual([]);
  }, 30_000);
});

/** Runs each invocation with --format json, four at a time, and lists every one that does not fail with a structured, known error. */
async function structuredFailures(invocations: string[][], work: string, deadlineMs?: number): Promise<string[]> {
  const runs: Awaited<ReturnType<typeof nicWithDeadline>>[] = [];
  for (let i = 0; i < invocations.length; i += 4) runs.push(...(await Promise.all(invocations.slice(i, i + 4).map((args) => nicWithDeadline([...args, "--format", "json"], work, deadlineMs)))));
  const problems: string[] = [];
  for (const [i, args] of invocations.entries()) {
    const run = runs[i]!;
    const what = `nic ${args.map((a) => a.replace(work, ".")).join(" ")}`;
    if (run.code === null) problems.push(`${what}: hung (killed after ${(deadlineMs ?? 20_000) / 1000} s)`);
    else if (run.code === 0) problems.push(`${what}: succeeded`);
    else {
      let doc: any;
      try {
        doc = JSON.parse(run.stdout);
      } catch {
        problems.push(`${what}: exit ${run.code}, stdout is not a JSON document: ${run.stdout.slice(0, 120)} ${run.stderr.slice(0, 200)}`);
        continue;
      }
      const code = doc?.error?.code as keyof typeof ERROR_CODES;
      if (doc.success !== false || !(code in ERROR_CODES) || code === "INTERNAL_ERROR") problems.push(`${what}: ${JSON.stringify(doc.error ?? doc).slice(0, 300)}`);
      else if (ERROR_CODES[code].exit !== run.code) problems.push(`${what}: ${code} exited ${run.code}, the table says ${ERROR_CODES[code].exit}`);
      else if (!Array.isArray(doc.error.recovery_suggestions)) problems.push(`${what}: no recovery_suggestions`);
    }
    if (/^\s+at .*:\d+:\d+\)?$/m.test(run.stderr)) problems.push(`${what}: a stack trace on stderr`);
  }
  return problems;
}
