// Every configuration the getting-started page shows is one `nic validate --strict` accepts, as a new deployment would be.
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";

const page = readFileSync("docs/getting-started.md", "utf8");
const examples = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

test("the page shows one example per provider", () => {
  expect(examples.map((e) => /^provider: (\w+)/m.exec(e)?.[1])).toEqual(["aws", "gcp", "azure", "existing"]);
});

test.each(examples.map((e, i) => [i, e]))("example %d validates under --strict as a new deployment", (i, example) => {
  const file = join(mkdtempSync(join(tmpdir(), "nic-docs-")), `example-${i}.yaml`);
  writeFileSync(file, example as string);
  const loaded = loadConfig(file, { strict: true, env: {}, deployment: "new" });
  expect(loaded.config.project_name).toBe("mynebari");
});
