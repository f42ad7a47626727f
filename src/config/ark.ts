// arktype, with only the keywords the configuration's shapes use. arktype's default scope builds every keyword it has
// (string.email, Date parsers, typed arrays, ...) on import: about 130 ms of start-up on the compiled binary, measured;
// this scope takes about 50. Same parser, same errors, same JSON Schema export. Runs jitless (./jitless.ts).
import "./jitless.ts";
import { scope } from "arktype/internal/scope.js";

const nodes = scope({});

export const ark = scope({
  string: nodes.schema({ domain: "string" }),
  number: nodes.schema({ domain: "number" }),
  integer: nodes.schema({ domain: "number", divisor: 1 }),
  boolean: nodes.schema([{ unit: true }, { unit: false }]),
  null: nodes.schema({ unit: null }),
  object: nodes.schema({ domain: "object" }),
} as never) as unknown as { type(def: unknown): Validator };

export interface ArkError {
  path: readonly PropertyKey[];
  code: string;
  expected?: string;
  problem: string;
  data: unknown;
  errors?: ArkError[];
}

/** A built shape: call it with a value to get the value back, or its errors. */
export interface Validator {
  (value: unknown): unknown;
  toJsonSchema(): Record<string, unknown>;
}

export function arkErrors(result: unknown): ArkError[] | undefined {
  return Array.isArray(result) && (result as unknown as Record<string, unknown>)[" arkKind"] === "errors" ? (result as ArkError[]) : undefined;
}
