// `nic status` exits 0 for any report it could make (Nebari parses the report); --detailed-exitcode exits 2 when not healthy.
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { newState, serializeState } from "../../src/state/format.ts";
import { nic } from "../helpers/binary.ts";
import { tempDir } from "../helpers/files.ts";

test("--detailed-exitcode: 2 when not healthy, 0 when healthy; without it 0 either way", () => {
  const dir = tempDir();
  const missing = join(dir, "none.json");
  const plain = nic(["status", "--offline", "--state", missing, "--format", "json"]);
  expect(plain.code).toBe(0);
  expect(JSON.parse(plain.stdout)).toMatchObject({ success: true, healthy: false });
  const detailed = nic(["status", "--offline", "--state", missing, "--format", "json", "--detailed-exitcode"]);
  expect(detailed.code).toBe(2);
  expect(JSON.parse(detailed.stdout)).toMatchObject({ success: true, healthy: false }); // the report is still printed

  const written = join(dir, "nic-state.json");
  writeFileSync(written, serializeState(newState({ provider: "aws", projectName: "demo", region: "us-east-1" })));
  const report = nic(["status", "--offline", "--state", written, "--format", "json", "--detailed-exitcode"]);
  expect(report.code).toBe(JSON.parse(report.stdout).healthy ? 0 : 2);
});
