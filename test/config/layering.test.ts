// The configuration is pure data: nothing under src/config may import the provider registry, adapters or SDKs.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(import.meta.dir, "../../src/config");

test("src/config imports nothing from src/providers, src/deploy or a cloud SDK", () => {
  const offending: string[] = [];
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith(".ts")) continue;
    for (const m of readFileSync(join(dir, file), "utf8").matchAll(/from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      if (/\/providers\/|\/deploy\/|^@aws-sdk|^@azure|^@google-cloud|^@kubernetes/.test(spec)) offending.push(`${file}: ${spec}`);
    }
  }
  expect(offending).toEqual([]);
});

test("the registry takes each provider's config key from the configuration", async () => {
  const { PROVIDERS } = await import("../../src/providers/registry.ts");
  const { PROVIDER_BLOCKS } = await import("../../src/config/providers.ts");
  expect(PROVIDERS.map((p) => [p.name, p.configKey])).toEqual(PROVIDER_BLOCKS.map((p) => [p.name, p.configKey]));
});
