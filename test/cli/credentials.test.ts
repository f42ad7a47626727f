// No AWS credentials is the user's setup, not a NIC bug: `nic kubeconfig token` (which kubectl runs on every call) says which
// sources were tried and what to set, with its own error code; --log-level debug shows the SDK's error underneath.
import { expect, test } from "bun:test";
import { nic } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

// A clean environment: no AWS_* variables, an empty HOME (no ~/.aws), instance metadata switched off.
const bare = () => ({ HOME: tempDir(), AWS_EC2_METADATA_DISABLED: "true" });
const token = ["kubeconfig", "token", "--cluster", "demo-dev", "--region", "us-east-1"];

test("missing AWS credentials: CREDENTIALS_MISSING with the sources tried and what to set", () => {
  const run = nic([...token, "--format", "json"], bare());
  expect(run.code).toBe(1);
  const { error } = JSON.parse(run.stdout);
  expect(error.code).toBe("CREDENTIALS_MISSING");
  expect(error.details.cloud).toBe("aws");
  expect(error.details.tried.join("\n")).toContain("AWS_ACCESS_KEY_ID");
  expect(error.details.tried.join("\n")).toContain("AWS_PROFILE");
  expect(error.recovery_suggestions.join("\n")).toContain("AWS_PROFILE");
  expect(JSON.stringify(error)).not.toContain("issues"); // not "report this bug"
});

test("text mode lists the sources; --log-level debug adds the SDK's own error", () => {
  const run = nic(token, bare());
  expect(run.stderr).toContain("error[CREDENTIALS_MISSING]");
  expect(run.stderr).toContain("tried: environment: AWS_ACCESS_KEY_ID");
  expect(run.stderr).not.toContain("CredentialsProviderError");
  const debug = nic([...token, "--log-level", "debug"], bare());
  expect(debug.stderr).toContain("debug: cause: CredentialsProviderError");
});

test("missing Google credentials: CREDENTIALS_MISSING, and the metadata lookup's process warning stays inside the log (debug), never raw on stderr", () => {
  const gcp = ["kubeconfig", "token", "--provider", "gcp"];
  const run = nic([...gcp, "--format", "json"], bare());
  expect([run.code, JSON.parse(run.stdout).error.code, JSON.parse(run.stdout).error.details.cloud]).toEqual([1, "CREDENTIALS_MISSING", "gcp"]);
  expect(run.stderr).not.toContain("Warning");
  const debug = nic([...gcp, "--format", "json", "--log-level", "debug"], bare());
  const lines = debug.stderr.trim().split("\n");
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow(); // JSON lines only, as Nebari parses them
});
