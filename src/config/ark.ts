// arktype, with only the keywords the configuration's shapes use. arktype's default scope builds every keyword it has
// (string.email, Date parsers, typed arrays, ...) on import: about 130 ms of start-up on the compiled binary, measured;
// this scope takes about 50. Same parser, same errors, same JSON Schema export. Runs jitless (./jitless.ts).
import "./jitless.ts";
import { $arkTypeRegistry, scope } from "arktype/internal/scope.js";

// The nodes arktype's schema layer built at import (its intrinsics): a scope of its own for them would bind every intrinsic again.
const { string, number, integer, boolean, null: nil, object } = $arkTypeRegistry.intrinsic as Record<string, unknown>;

export const ark = scope({ string, number, integer, boolean, null: nil, object } as never) as unknown as { type(def: unknown): Validator };

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
