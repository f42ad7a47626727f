import { describe, expect, test } from "bun:test";
import { isTransient, withRetry } from "../../src/engine/retry.ts";

describe("isTransient", () => {
  const cases: Array<[string, unknown, boolean]> = [
    ["AWS throttling by name", { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }, true],
    ["EC2 RequestLimitExceeded by code", { code: "RequestLimitExceeded" }, true],
    ["AWS 503", { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } }, true],
    ["HTTP 429 status", { statusCode: 429 }, true],
    ["GCP numeric 503 code", { code: 503 }, true],
    ["a dropped connection", { code: "ECONNRESET" }, true],
    ["a validation error", { name: "InvalidParameterException", $metadata: { httpStatusCode: 400 } }, false],
    ["not found", { name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } }, false],
    ["a string", "Throttling", false],
  ];
  for (const [name, err, expected] of cases) test(name, () => expect(isTransient(err)).toBe(expected));
});

describe("withRetry", () => {
  const signal = new AbortController().signal;

  test("returns the first success, calling again only after transient errors", async () => {
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw { name: "Throttling" };
        return "ok";
      },
      { signal, baseDelayMs: 1 },
    );
    expect([value, calls]).toEqual(["ok", 3]);
  });

  test("gives up once the next delay would exceed the budget", async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw new Error("role cannot be assumed");
      },
      { signal, baseDelayMs: 4, random: () => 0.99, classify: () => 50 },
    );
    await expect(failing).rejects.toThrow("role cannot be assumed");
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThan(6);
  });

  test("stops waiting when the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = withRetry(
      async () => {
        throw { name: "Throttling" };
      },
      { signal: controller.signal, baseDelayMs: 60_000, random: () => 0.99 },
    );
    controller.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
  });
});
