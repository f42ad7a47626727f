// Issue 21 (4, 7): checks before the first change, on the compiled binary and the sandbox. A file the run will write that
// cannot be written, or credentials that do not answer, stop deploy (and its dry run) before any mutating call; a lock that
// cannot be written is a backend error and leaves no temp file; folders NIC creates are 0700 whatever the umask.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NIC, nicAsync, requireBinary } from "../helpers/binary.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(async () => {
  await stack?.stop();
});

const MUTATING = /^(Create|Delete|Update|Modify|Put|Attach|Detach|Associate|Authorize|Revoke|Tag|Untag|Run|Register)/;
const mutatingCalls = async () => ((await stack.control("/calls")).calls as Array<{ action: string }>).filter((c) => MUTATING.test(c.action)).map((c) => c.action);
const errorOf = (stdout: string) => JSON.parse(stdout).error;

test("a kubeconfig NIC cannot write: deploy and its dry run stop with PATH_NOT_WRITABLE before any mutating call", async () => {
  await stack.reset();
  const blocker = join(stack.dir, "not-a-folder");
  writeFileSync(blocker, "a file where a folder should be");
  for (const extra of [[], ["--dry-run"]]) {
    const run = await stack.deploy("--kubeconfig", join(blocker, "kubeconfig"), ...extra);
    expect(run.code, run.stdout.slice(0, 800)).toBe(1);
    expect(errorOf(run.stdout).code).toBe("PATH_NOT_WRITABLE");
    expect(errorOf(run.stdout).details.path).toBe(join(blocker, "kubeconfig"));
  }
  expect(await mutatingCalls()).toEqual([]);
  expect((await stack.inventory()).filter((r) => r.type === "ec2:vpc")).toEqual([]);
}, 60_000);

test("credentials that do not answer sts:GetCallerIdentity: CREDENTIALS_INVALID naming AWS's code, before any mutating call", async () => {
  await stack.reset();
  await stack.addFault({ service: "sts", action: "GetCallerIdentity", kind: "error", code: "ExpiredToken", status: 403, message: "The security token included in the request is expired" });
  const run = await stack.deploy();
  expect(run.code, run.stdout.slice(0, 800)).toBe(1);
  const error = errorOf(run.stdout);
  expect(error.code).toBe("CREDENTIALS_INVALID");
  expect(error.details.aws_error_code).toBe("ExpiredToken");
  expect(await mutatingCalls()).toEqual([]);
}, 60_000);

test("a redeploy asks the credentials only when its plan changes something: none for a no-op, CREDENTIALS_INVALID before a change", async () => {
  await stack.reset();
  expect((await stack.deploy()).code).toBe(0);
  const stsCalls = async () => ((await stack.control("/calls")).calls as Array<{ action: string }>).filter((c) => c.action === "GetCallerIdentity").length;
  const before = await stsCalls();
  const noop = await stack.deploy();
  expect(noop.code, noop.stdout.slice(0, 800)).toBe(0);
  expect(await stsCalls()).toBe(before);

  await stack.addFault({ service: "sts", action: "GetCallerIdentity", kind: "error", code: "ExpiredToken", status: 403, message: "The security token included in the request is expired" });
  writeFileSync(stack.config, readFileSync(stack.config, "utf8").replace(/max_nodes: (\d+)/, (_, n) => `max_nodes: ${Number(n) + 1}`));
  const mutatingBefore = (await mutatingCalls()).length;
  const changed = await stack.deploy();
  expect(changed.code, changed.stdout.slice(0, 800)).toBe(1);
  expect(errorOf(changed.stdout).code).toBe("CREDENTIALS_INVALID");
  expect((await mutatingCalls()).length).toBe(mutatingBefore);
}, 120_000);

test("a lock that cannot be written is STATE_BACKEND_ERROR and leaves no temp file; a dead run's lock temp file is cleaned by the next lock", async () => {
  await stack.reset();
  // The lock's temp file name is longer than the state's: a name at the file system's limit makes writing it fail.
  const folder = join(stack.dir, "state");
  mkdirSync(folder);
  const longState = join(folder, `${"s".repeat(250)}.json`);
  const run = await stack.deploy("--state", longState);
  expect(errorOf(run.stdout)?.code, run.stdout.slice(0, 800)).toBe("STATE_BACKEND_ERROR");
  expect(readdirSync(folder)).toEqual([]);

  const dead = Bun.spawn(["true"]);
  await dead.exited;
  const stateFolder = join(stack.dir, ".nebari/stages/02-infrastructure");
  mkdirSync(stateFolder, { recursive: true });
  const leftover = join(stateFolder, `.nic-state.json.lock.${dead.pid}.0a1b2c3d.tmp`);
  writeFileSync(leftover, "");
  const ok = await stack.deploy("--dry-run");
  expect(ok.code, ok.stdout.slice(0, 800)).toBe(0);
  expect(existsSync(leftover)).toBe(true); // a dry run takes no lock
  expect((await stack.deploy()).code).toBe(0);
  expect(existsSync(leftover)).toBe(false);
}, 90_000);

test("folders NIC creates are 0700 whatever the umask", async () => {
  requireBinary();
  for (const umask of ["000", "277"]) {
    await stack.reset();
    const outputs = join(stack.dir, "out", "deep", "outputs.json");
    const child = Bun.spawn(["sh", "-c", `umask ${umask}; exec "$0" "$@"`, NIC, "deploy", "-f", stack.config, "--outputs", outputs, "--format", "json"], { env: stack.env, stdout: "pipe", stderr: "pipe" });
    const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(code, stdout.slice(0, 800)).toBe(0);
    for (const folder of ["out", "out/deep", ".nebari", ".nebari/stages", ".nebari/stages/02-infrastructure"]) {
      expect({ umask, folder, mode: (statSync(join(stack.dir, folder)).mode & 0o777).toString(8) }).toEqual({ umask, folder, mode: "700" });
    }
  }
}, 90_000);

test("destroy and drift fix check the credentials before their first change: CREDENTIALS_INVALID, nothing deleted or changed", async () => {
  await stack.reset();
  expect((await stack.deploy()).code).toBe(0);
  const before = (await stack.inventory()).length;
  await stack.control("/calls", { method: "DELETE" });
  await stack.addFault({ service: "sts", action: "GetCallerIdentity", kind: "error", code: "ExpiredToken", status: 403, message: "The security token included in the request is expired" });

  const destroy = await stack.destroy();
  expect(destroy.code, destroy.stdout.slice(0, 800)).toBe(1);
  expect(errorOf(destroy.stdout).code).toBe("CREDENTIALS_INVALID");
  const fix = await nicAsync(["drift", "fix", "-f", stack.config, "--yes", "--format", "json"], stack.env);
  expect(fix.code, fix.stdout.slice(0, 800)).toBe(1);
  expect(errorOf(fix.stdout).code).toBe("CREDENTIALS_INVALID");

  expect(await mutatingCalls()).toEqual([]);
  expect((await stack.inventory()).length).toBe(before);
  const status = JSON.parse((await nicAsync(["status", "-f", stack.config, "--format", "json"], stack.env)).stdout);
  expect(status.lock).toBeNull();
}, 90_000);
