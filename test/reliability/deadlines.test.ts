// Issue 21 (3): no call without a deadline. A hung cloud API fails the compiled binary fast with REQUEST_TIMEOUT naming the
// call, and the lock is released; a hung Kubernetes API does the same for the Kubernetes client.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { KubeClient } from "../../src/kubernetes/client.ts";
import { awsClients } from "../../src/providers/aws/clients.ts";
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
  expect(error.details).toMatchObject({ call: "ec2:CreateVpc", timeout_ms: 1000 });
  expect(error.details.attempts).toBeGreaterThanOrEqual(1);
  expect(error.details.failed.find((f: { address: string }) => f.address === "aws/vpc/main")).toMatchObject({ call: "ec2:CreateVpc", timeout_ms: 1000, attempts: error.details.attempts });
  expect(error.recovery_suggestions.some((h: string) => h.includes("ec2:CreateVpc"))).toBe(true);
  expect(existsSync(`${stack.statePath}.lock`)).toBe(false);
}, 60_000);

test("the defaults are documented numbers: a request may take 60 s, connecting 10 s; NIC_REQUEST_TIMEOUT changes the request's", () => {
  expect(deadlines({})).toEqual({ requestMs: DEFAULT_REQUEST_TIMEOUT_MS, connectMs: DEFAULT_CONNECT_TIMEOUT_MS });
  expect([DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS]).toEqual([60_000, 10_000]);
  expect(deadlines({ NIC_REQUEST_TIMEOUT: "2m" }).requestMs).toBe(120_000);
  expect(deadlines({ NIC_REQUEST_TIMEOUT: "500ms" })).toEqual({ requestMs: 500, connectMs: 500 });
});

/** The port a helper prints on its first line. */
async function firstLine(stdout: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return Number(text.trim());
}

/** Runs `work` with NIC's deadline variables set, restoring them after. */
async function withDeadlines<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [k, v] of Object.entries(previous)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

test("a Kubernetes API whose address blackholes connect: the client gives up at the connect deadline, not the request's, naming the call", async () => {
  const blackhole = Bun.spawn(["python3", join(import.meta.dir, "blackhole.py"), "30"], { stdout: "pipe" });
  try {
    const port = await firstLine(blackhole.stdout);
    const started = performance.now();
    const error = await withDeadlines({ NIC_REQUEST_TIMEOUT: "20s", NIC_CONNECT_TIMEOUT: "300ms" }, () =>
      new KubeClient({ endpoint: `https://127.0.0.1:${port}`, auth: { token: async () => "t" } }).request("GET", "/api/v1/namespaces/dev").catch((err) => err),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(error.code).toBe("REQUEST_TIMEOUT");
    expect(error.details).toMatchObject({ call: "kubernetes:GET /api/v1/namespaces/dev", stage: "connect", target: `127.0.0.1:${port}`, timeout_ms: 300, attempts: 3 });
    expect(seconds).toBeLessThan(5); // three connect deadlines, not one 20 s request deadline
  } finally {
    blackhole.kill();
  }
});

test("an AWS endpoint that blackholes connect: the SDK's connect deadline fires and the error says connect, not the 20 s request deadline", async () => {
  const blackhole = Bun.spawn(["python3", join(import.meta.dir, "blackhole.py"), "30"], { stdout: "pipe" });
  try {
    const port = await firstLine(blackhole.stdout);
    const endpoint = `http://127.0.0.1:${port}`;
    const env = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "x", AWS_ENDPOINT_URL: endpoint, AWS_EC2_METADATA_DISABLED: "true", NIC_REQUEST_TIMEOUT: "20s", NIC_CONNECT_TIMEOUT: "300ms" };
    const { sdk, client } = await awsClients({ region: "us-east-1", env }).ec2();
    const started = performance.now();
    const error = await client.send(new sdk.DescribeVpcsCommand({})).catch((err) => err);
    expect(error.code).toBe("REQUEST_TIMEOUT");
    expect(error.details).toMatchObject({ call: "ec2:DescribeVpcs", stage: "connect", target: endpoint, timeout_ms: 300, attempts: 3 });
    expect(error.message).toContain("could not connect");
    expect((performance.now() - started) / 1000).toBeLessThan(8);
  } finally {
    blackhole.kill();
  }
});

test("a Kubernetes API that accepts the connection and is slow to answer is not cut at the connect deadline", async () => {
  const slow = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: async () => (await Bun.sleep(800), Response.json({ kind: "Namespace" })) });
  try {
    const body = await withDeadlines({ NIC_REQUEST_TIMEOUT: "5s", NIC_CONNECT_TIMEOUT: "200ms" }, () =>
      new KubeClient({ endpoint: `http://127.0.0.1:${slow.port}`, auth: { token: async () => "t" } }).request("GET", "/api/v1/namespaces/dev"),
    );
    expect(body).toEqual({ kind: "Namespace" });
  } finally {
    slow.stop(true);
  }
});

test("the connect deadline: 10 s by default, NIC_CONNECT_TIMEOUT to change it, never longer than the request's; a bad value is INPUT_INVALID", () => {
  expect(deadlines({ NIC_CONNECT_TIMEOUT: "30s", NIC_REQUEST_TIMEOUT: "2m" })).toEqual({ requestMs: 120_000, connectMs: 30_000 });
  expect(deadlines({ NIC_CONNECT_TIMEOUT: "30s" })).toEqual({ requestMs: 60_000, connectMs: 30_000 });
  expect(deadlines({ NIC_CONNECT_TIMEOUT: "30s", NIC_REQUEST_TIMEOUT: "5s" }).connectMs).toBe(5_000);
  let error: any;
  try {
    deadlines({ NIC_CONNECT_TIMEOUT: "soon" });
  } catch (err) {
    error = err;
  }
  expect(error?.code).toBe("INPUT_INVALID");
  expect(error?.details).toEqual({ variable: "NIC_CONNECT_TIMEOUT", value: "soon" });
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
