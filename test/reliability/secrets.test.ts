// R5 secrets: after a sandbox deploy (JSON and text logs), an update and failing commands, nothing NIC wrote or printed
// holds a credential, except the documented outputs.json field kubernetes_credentials.value.token.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES } from "../../src/cli/errors.ts";
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { nicAsync, type Run } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";
import { scanFile, scanText, type Finding } from "./scan.ts";

const ROOT = join(import.meta.dir, "../..");
const DEMO = readFileSync(join(ROOT, "fixtures/configs/demo-aws.yaml"), "utf8");
const KNOWN = [SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY, SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID];

describe("the scanner", () => {
  test("finds each kind of planted secret and passes clean text", () => {
    const planted = [
      `{"key": "AKIAABCDEFGHIJKLMNOP"}`,
      `aws_secret_access_key = abcdefghijABCDEFGHIJ0123456789/+abcdefgh`,
      `"SessionToken": "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQ"`,
      `token: k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8`,
      `Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6`,
      `-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----`,
      `the key is ${SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
    ];
    for (const text of planted) expect(scanText(text, "planted", KNOWN).length, text).toBeGreaterThan(0);
    const clean = `{"cluster_ca_certificate": "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----", "arn": "arn:aws:iam::123456789012:role/x", "vpc": "vpc-0abc"}`;
    expect(scanText(clean, "clean", KNOWN)).toEqual([]);
  });
});

describe("after a sandbox deploy", () => {
  let sandbox: Sandbox;
  let dir: string;
  const runs: Array<{ what: string; run: Run }> = [];
  const stage = () => join(dir, ".nebari/stages/02-infrastructure");
  const config = () => join(dir, "nebari-config.yaml");
  const nic = async (what: string, args: string[], expectSuccess = true) => {
    const run = await nicAsync([...args, "-f", config()], { ...sandbox.env, HOME: dir });
    runs.push({ what, run });
    if (expectSuccess) expect(run.code, `${what}: ${run.stdout}${run.stderr}`).toBe(0);
    else expect(run.code, what).not.toBe(0);
    return run;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ delays: { eksClusterCreate: 100, eksNodegroupCreate: 50, eksAddonCreate: 20, efsCreate: 20 } });
    dir = tempDir("nic-secrets-");
    writeFileSync(config(), DEMO);
    await nic("deploy, JSON logs", ["deploy", "--format", "json", "--log-level", "debug"]);
    writeFileSync(config(), DEMO.replace(/(user:\n\s+instance: m5.xlarge\n\s+min_nodes: 0\n\s+max_nodes:) 5/, "$1 6"));
    await nic("update, text logs", ["deploy", "--log-level", "debug"]);
    await nic("state pull", ["state", "pull"]);
    await nic("status", ["status", "--format", "json"]);
    await fetch(`${sandbox.controlEndpoint}/faults`, { method: "POST", body: JSON.stringify({ service: "ec2", kind: "error", code: "UnauthorizedOperation", status: 403 }) });
    await nic("failing drift detect, JSON", ["drift", "detect", "--format", "json", "--log-level", "debug"], false);
    await nic("failing deploy, text", ["deploy", "--log-level", "debug"], false);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  test("outputs.json and the kubeconfig are mode 0600", () => {
    expect(statSync(join(stage(), "outputs.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(stage(), "kubeconfig")).mode & 0o777).toBe(0o600);
  });

  test("the only credential in outputs.json is the documented token field", () => {
    const outputs = JSON.parse(readFileSync(join(stage(), "outputs.json"), "utf8"));
    expect(scanText(outputs.kubernetes_credentials.value.token, "token", KNOWN).map((f) => f.kind)).toEqual(["EKS bearer token"]);
    delete outputs.kubernetes_credentials.value.token;
    expect(scanText(JSON.stringify(outputs, null, 2), "outputs.json without the token", KNOWN)).toEqual([]);
  });

  test("state, its backup, the kubeconfig, stdout and stderr of every run (results, logs, error documents) and the recordings hold no secret", () => {
    const files = readdirSync(stage()).filter((f) => f !== "outputs.json").map((f) => join(stage(), f));
    expect(files.some((f) => f.endsWith("nic-state.json"))).toBe(true);
    const recordings = readdirSync(join(ROOT, "fixtures/recordings")).map((f) => join(ROOT, "fixtures/recordings", f));
    const findings: Finding[] = [
      ...[...files, ...recordings].flatMap((f) => scanFile(f, KNOWN)),
      ...runs.flatMap(({ what, run }) => [...scanText(run.stdout, `${what} stdout`, KNOWN), ...scanText(run.stderr, `${what} stderr`, KNOWN)]),
    ];
    console.log(`R5: scanned ${files.length + recordings.length} files and ${runs.length * 2} streams (${runs.reduce((n, { run }) => n + run.stdout.length + run.stderr.length, 0)} bytes), ${findings.length} findings`);
    expect(findings).toEqual([]);
  });

  test("the failing runs produced error documents and logs in both formats, so the scan saw them", () => {
    const failing = runs.filter(({ run }) => run.code !== 0);
    expect(failing).toHaveLength(2);
    const error = JSON.parse(failing[0]!.run.stdout).error;
    expect(error.code in ERROR_CODES && error.code !== "INTERNAL_ERROR", error.code).toBe(true);
    expect(error.recovery_suggestions.length).toBeGreaterThan(0);
    expect(failing[1]!.run.stdout + failing[1]!.run.stderr).toContain("UnauthorizedOperation");
    expect(runs[0]!.run.stderr.split("\n").filter(Boolean).every((line) => line.startsWith("{"))).toBe(true);
    expect(runs[1]!.run.stderr.length).toBeGreaterThan(0);
    expect(runs[1]!.run.stderr.startsWith("{")).toBe(false);
  });
});
