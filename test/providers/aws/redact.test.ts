import { expect, test } from "bun:test";
import { redact, redactExchanges } from "../../../src/providers/aws/redact.ts";

test("recordings are scrubbed of keys, tokens and private keys, and keep everything else", () => {
  const body = [
    "<Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>",
    "<SessionToken>IQoJb3JpZ2luX2VjEJr</SessionToken></Credentials>",
    '{"token":"abc","sessionToken":"xyz","name":"nicdemo-dev","auth":"k8s-aws-v1.aHR0cHM6Ly9zdHM"}',
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
  ].join("\n");
  const out = redact(body);
  for (const secret of ["IOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "IQoJb3JpZ2luX2VjEJr", '"abc"', '"xyz"', "aHR0cHM6Ly9zdHM", "MIIEpAIBAAKCAQEA"]) expect(out).not.toContain(secret);
  expect(out).toContain('"name":"nicdemo-dev"');
  expect(out).toContain("<AccessKeyId>ASIA[REDACTED]</AccessKeyId>");
  const [e] = redactExchanges([{ key: "sts POST / Action=AssumeRole&RoleArn=x AKIAIOSFODNN7EXAMPLE", status: 200, headers: {}, body }]);
  expect(e!.key).not.toContain("IOSFODNN7EXAMPLE");
});

test("a recording made with NIC_RECORD holds no credentials", async () => {
  const { startSandbox } = await import("../../../sandbox/index.ts");
  const { nicAsync } = await import("../../helpers/binary.ts");
  const { tempDir } = await import("../../helpers/files.ts");
  const { join } = await import("node:path");
  const { readFileSync, copyFileSync } = await import("node:fs");
  const sandbox = await startSandbox({ delays: { eksClusterCreate: 100, eksNodegroupCreate: 50, eksAddonCreate: 20, efsCreate: 20 } });
  try {
    const dir = tempDir("nic-record-");
    copyFileSync(join(import.meta.dir, "../../../fixtures/configs/demo-aws.yaml"), join(dir, "nebari-config.yaml"));
    const file = join(dir, "recording.json");
    const run = await nicAsync(["deploy", "-f", join(dir, "nebari-config.yaml")], { ...sandbox.env, NIC_RECORD: file });
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(JSON.parse(text).exchanges.length).toBeGreaterThan(30);
    expect(text).not.toContain(sandbox.env.AWS_SECRET_ACCESS_KEY!);
    expect(text).not.toMatch(/AKIA[A-Z0-9]{16}/);
  } finally {
    await sandbox.stop();
  }
});
