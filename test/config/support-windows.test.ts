// Standard and extended support per provider: past EKS extended support is an error for a new deployment, a warning otherwise.
import { describe, expect, test } from "bun:test";
import { NicError } from "../../src/cli/errors.ts";
import { SUPPORT_WINDOWS } from "../../src/config/catalog/support-windows.ts";
import { supportStatus } from "../../src/config/kubernetes-versions.ts";
import { loadConfig, type LoadOptions } from "../../src/config/load.ts";
import { writeTemp } from "../helpers/files.ts";

const today = new Date("2026-12-03");

describe("support windows", () => {
  test("every table entry ends standard support before extended support", () => {
    for (const table of Object.values(SUPPORT_WINDOWS)) for (const w of Object.values(table)) if (w.extended) expect(w.standard < w.extended).toBe(true);
  });

  test("EKS: in standard support, in extended support, past extended support", () => {
    expect(supportStatus("aws", 33, new Date("2026-06-01"))).toEqual({});
    expect(supportStatus("aws", 31, new Date("2026-01-10")).warning).toContain("extended support (billed extra) ends 2026-11-26");
    expect(supportStatus("aws", 30, today).unsupported).toBe("Kubernetes 1.30: extended support on EKS ended on 2026-07-23");
    expect(supportStatus("aws", 21, today).unsupported).toContain("past the end of all support");
  });

  test("AKS minors without LTS have no extended support", () => {
    expect(supportStatus("azure", 26, today).unsupported).toContain("no extended support");
  });

  const yaml = "project_name: demo\nprovider: aws\namazon_web_services:\n  region: us-east-1\n  kubernetes_version: '1.30'\n";
  function outcome(opts: LoadOptions) {
    try {
      return { warnings: loadConfig(writeTemp("nebari-config.yaml", yaml), { env: {}, today, ...opts }).warnings, errors: [] };
    } catch (err) {
      return { warnings: [], errors: (err as NicError).details.errors as { text: string }[] };
    }
  }

  test("past EKS extended support: an error for a new deployment, a warning for an existing one and for validate", () => {
    expect(outcome({ deployment: "new" }).errors[0]!.text).toContain("EKS refuses to create a cluster of this version");
    expect(outcome({ deployment: "existing" }).warnings[0]!.text).toContain("the existing cluster keeps running");
    expect(outcome({}).warnings[0]!.text).toContain("nic deploy refuses it for a new deployment");
  });
});
