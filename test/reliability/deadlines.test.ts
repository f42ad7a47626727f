// Issue 21 (3): no call without a deadline. A hung cloud API fails the compiled binary fast with REQUEST_TIMEOUT naming the
// call, and the lock is released; a hung Kubernetes API does the same for the Kubernetes client.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { KubeClient } from "../../src/kubernetes/client.ts";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, deadlines } from "../../src/net/deadlines.ts";
import { nicAsync } from "../helpers/binary.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
});
afterAll(async () => {
  await stack?.stop();
});

test("300 s of latency on DescribeVpcs: deploy --request-timeout 1s fails within seconds with REQUEST_TIMEOUT naming ec2:DescribeVpcs, and releases the lock", async () => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action: "DescribeVpcs", kind: "latency", latencyMs: 300_000 });
  const started = performance.now();
  const run = await stack.deploy("--request-timeout", "1s");
  const seconds = (performance.now() - started) / 1000;
  console.log(`deadline: a hung DescribeVpcs detected in ${seconds.toFixed(1)} s`);
  expect(run.code, run.stdout.slice(0, 1500)).toBe(1);
  const { error } = JSON.parse(run.stdout);
  expect(error.code).toBe("REQUEST_TIMEOUT");
  expect(error.details.call).toBe("ec2:DescribeVpcs");
  expect(error.details.attempts).toBeGreaterThan(1); // retried as transient first
  expect(seconds).toBeLessThan(30);
  expect(existsSync(`${stack.statePath}.lock`)).toBe(false);
  const status = JSON.parse((await nicAsync(["status", "-f", stack.config, "--format", "json"], stack.env)).stdout);
  expect(status.lock).toBeNull();

  const bad = await stack.deploy("--request-timeout", "soon");
  expect(JSON.parse(bad.stdout).error.code).toBe("INPUT_INVALID");
}, 60_000);

test("a create that hangs while applying: deploy fails with REQUEST_TIMEOUT naming ec2:CreateVpc (code, details and hint), not DEPLOY_FAILED", async () => {
  await stack.reset();
  await stack.addFault({ service: "ec2", action: "CreateVpc", kind: "latency", latencyMs: 300_000 });
  const run = await stack.deploy("--request-timeout", "1s");
  expect(run.code, run.stdout.slice(0, 1500)).toBe(1);
  const { error } = JSON.parse(run.stdout);
  expect(error.code).toBe("REQUEST_TIMEOUT");
  expect(error.details.call).toBe("ec2:CreateVpc");
  expect(error.details.failed.find((f: { address: string }) => f.address === "aws/vpc/main").call).toBe("ec2:CreateVpc");
  expect(error.recovery_suggestions.some((h: string) => h.includes("ec2:CreateVpc"))).toBe(true);
  expect(existsSync(`${stack.statePath}.lock`)).toBe(false);
}, 60_000);

test("the defaults are documented numbers: a request may take 60 s, connecting 10 s; NIC_REQUEST_TIMEOUT changes the request's", () => {
  expect(deadlines({})).toEqual({ requestMs: DEFAULT_REQUEST_TIMEOUT_MS, connectMs: DEFAULT_CONNECT_TIMEOUT_MS });
  expect([DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS]).toEqual([60_000, 10_000]);
  expect(deadlines({ NIC_REQUEST_TIMEOUT: "2m" }).requestMs).toBe(120_000);
  expect(deadlines({ NIC_REQUEST_TIMEOUT: "500ms" })).toEqual({ requestMs: 500, connectMs: 500 });
});

test("a Kubernetes API that accepts the connection and never answers: the client retries, then fails with REQUEST_TIMEOUT naming the call", async () => {
  let requests = 0;
  const hung = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => (requests++, new Promise<Response>(() => {})) });
  const previous = process.env.NIC_REQUEST_TIMEOUT;
  process.env.NIC_REQUEST_TIMEOUT = "300ms";
  try {
    const client = new KubeClient({ endpoint: `http://127.0.0.1:${hung.port}`, auth: { token: async () => "t" } });
    const error = await client.request("GET", "/api/v1/namespaces/dev").catch((err) => err);
    expect(error.code).toBe("REQUEST_TIMEOUT");
    expect(error.details.call).toBe("kubernetes:GET /api/v1/namespaces/dev");
    expect(requests).toBe(3);
  } finally {
    if (previous === undefined) delete process.env.NIC_REQUEST_TIMEOUT;
    else process.env.NIC_REQUEST_TIMEOUT = previous;
    hung.stop(true);
  }
});
