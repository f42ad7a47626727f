// Reading Terraform state: structured errors for every kind of bad input (a fuzz loop included), Terraform's local lock,
// and discovery of local files under Nebari's stage folders.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { stateCandidates } from "../../src/terraform/discover.ts";
import { locateStates } from "../../src/terraform/locate.ts";
import { readTerraformState } from "../../src/terraform/read.ts";
import { mapState } from "../../src/terraform/map.ts";
import { AWS_RULES } from "../../src/terraform/maps/aws.ts";
import { AZURE_RULES } from "../../src/terraform/maps/azure.ts";
import { GCP_RULES } from "../../src/terraform/maps/gcp.ts";
import { KUBERNETES_RULES } from "../../src/terraform/maps/kubernetes.ts";
import { MAX_TFSTATE_BYTES, parseTerraformState } from "../../src/terraform/tfstate.ts";
import { tempDir, writeTemp } from "../helpers/files.ts";

const EXAMPLE = readFileSync(join(import.meta.dir, "../../fixtures/tfstate/aws-example.tfstate.json"), "utf8");
const CONFIG = join(import.meta.dir, "../../fixtures/configs/demo-aws.yaml");

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof NicError) return err.code;
    throw err;
  }
  return "no error";
}

describe("parseTerraformState", () => {
  test("reads the genuine example", () => {
    const s = parseTerraformState(EXAMPLE, "example");
    expect(s.terraform_version).toBe("1.11.4");
    expect(s.resources.length).toBe(27);
    expect(Object.keys(s.outputs)).toEqual(["kubernetes_credentials", "nfs_endpoint"]);
  });

  test("truncated, empty and non-JSON input is TFSTATE_INVALID, and says so", () => {
    const cut = (() => {
      try {
        parseTerraformState(EXAMPLE.slice(0, 5000), "cut.tfstate");
      } catch (err) {
        return err as NicError;
      }
    })();
    expect(cut?.code).toBe("TFSTATE_INVALID");
    expect(cut?.message).toContain("truncated");
    expect(codeOf(() => parseTerraformState("", "empty"))).toBe("TFSTATE_INVALID");
    expect(codeOf(() => parseTerraformState("<html>", "html"))).toBe("TFSTATE_INVALID");
    expect(codeOf(() => parseTerraformState("[1,2]", "list"))).toBe("TFSTATE_INVALID");
  });

  test("older format versions ask for a Terraform upgrade; newer and missing versions are refused", () => {
    const v3 = JSON.stringify({ version: 3, terraform_version: "0.11.14", serial: 1, lineage: "x", modules: [] });
    let err: NicError | undefined;
    try {
      parseTerraformState(v3, "old.tfstate");
    } catch (e) {
      err = e as NicError;
    }
    expect(err?.code).toBe("TFSTATE_UNSUPPORTED_VERSION");
    expect(err?.recovery.join(" ")).toContain("Upgrade the state with Terraform first");
    expect(codeOf(() => parseTerraformState(JSON.stringify({ ...JSON.parse(EXAMPLE), version: 5 }), "new"))).toBe("TFSTATE_UNSUPPORTED_VERSION");
    expect(codeOf(() => parseTerraformState(JSON.stringify({ ...JSON.parse(EXAMPLE), version: "4" }), "string"))).toBe("TFSTATE_INVALID");
  });

  test("malformed resources are listed by path", () => {
    const doc = JSON.parse(EXAMPLE);
    doc.resources[2].instances[0].attributes = null;
    doc.resources[3].mode = "weird";
    let err: NicError | undefined;
    try {
      parseTerraformState(JSON.stringify(doc), "bad");
    } catch (e) {
      err = e as NicError;
    }
    expect(err?.code).toBe("TFSTATE_INVALID");
    expect(err?.details.problems).toEqual(["resources[2].instances[0].attributes: expected an object (a state written with attributes_flat is older than format 4)", 'resources[3].mode: expected "managed" or "data"']);
  });

  test("fuzz: random cuts and byte flips of a genuine state parse or fail with a TFSTATE code, never anything else", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const codes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      let text = EXAMPLE;
      if (i % 3 === 0) text = text.slice(0, Math.floor(random() * text.length));
      else {
        const chars = [...text];
        for (let j = 0; j < 1 + Math.floor(random() * 4); j++) chars[Math.floor(random() * chars.length)] = String.fromCharCode(32 + Math.floor(random() * 95));
        text = chars.join("");
      }
      const code = codeOf(() => {
        const state = parseTerraformState(text, `fuzz-${i}`);
        // Whatever parses must also map, under every provider's rules, without throwing.
        for (const rules of [AWS_RULES, GCP_RULES, AZURE_RULES, KUBERNETES_RULES]) mapState(state, rules, { namespace: "dev" });
      });
      expect(["no error", "TFSTATE_INVALID", "TFSTATE_UNSUPPORTED_VERSION"]).toContain(code);
      codes.add(code);
    }
    expect(codes.has("TFSTATE_INVALID")).toBe(true);
  });
});

describe("readTerraformState (files)", () => {
  test("a missing file reads as undefined; a folder or a huge file is refused before reading", async () => {
    const dir = tempDir("nic-tfstate-");
    expect(await readTerraformState(join(dir, "absent.tfstate"), {})).toBeUndefined();
    await expect(readTerraformState(dir, {})).rejects.toMatchObject({ code: "TFSTATE_INVALID" });
    const huge = join(dir, "huge.tfstate");
    writeFileSync(huge, "");
    const { truncateSync } = await import("node:fs");
    truncateSync(huge, MAX_TFSTATE_BYTES + 1);
    await expect(readTerraformState(huge, {})).rejects.toMatchObject({ code: "TFSTATE_INVALID", details: { bytes: MAX_TFSTATE_BYTES + 1 } });
  });

  test("Terraform's local lock is honoured: refused, the holder named, the lock left in place", async () => {
    const path = writeTemp("terraform.tfstate", EXAMPLE);
    const lock = join(path, "../.terraform.tfstate.lock.info");
    const info = JSON.stringify({ ID: "3f1c-lock", Operation: "OperationTypeApply", Info: "", Who: "alice@laptop", Version: "1.11.4", Created: "2026-11-27T06:00:00Z", Path: "terraform.tfstate" });
    writeFileSync(lock, info);
    const err = await readTerraformState(path, {}).catch((e) => e as NicError);
    expect(err).toBeInstanceOf(NicError);
    expect((err as NicError).code).toBe("TFSTATE_LOCKED");
    expect((err as NicError).message).toContain("alice@laptop");
    expect((err as NicError).recovery.join(" ")).toContain("terraform force-unlock 3f1c-lock");
    expect(readFileSync(lock, "utf8")).toBe(info);
    expect(readFileSync(path, "utf8")).toBe(EXAMPLE);
  });
});

describe("discovery", () => {
  test("local files under stages/ are found as Nebari lays them out", async () => {
    const dir = tempDir("nic-discover-");
    writeFileSync(join(dir, "nebari-config.yaml"), readFileSync(CONFIG, "utf8"));
    mkdirSync(join(dir, "stages/02-infrastructure/aws"), { recursive: true });
    writeFileSync(join(dir, "stages/02-infrastructure/aws/terraform.tfstate"), EXAMPLE);
    const loaded = loadConfig(join(dir, "nebari-config.yaml"), { env: {} });
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m), info: () => {}, debug: () => {} } as never;
    const found = await locateStates(loaded.config, { configPath: "nebari-config.yaml", cwd: dir, env: {}, log });
    expect(found.stage02.location).toBe(join(dir, "stages/02-infrastructure/aws/terraform.tfstate"));
    expect(found.stage03).toBeUndefined();
    expect(warnings.join()).toContain("No stage 03");
  });

  test("nothing found is TFSTATE_NOT_FOUND listing every place tried", async () => {
    const dir = tempDir("nic-discover-");
    const loaded = loadConfig(CONFIG, { env: {} });
    const err = await locateStates(loaded.config, { configPath: join(dir, "nebari-config.yaml"), cwd: dir, env: {} }).catch((e) => e as NicError);
    expect((err as NicError).code).toBe("TFSTATE_NOT_FOUND");
    expect((err as NicError).details.tried).toEqual([join(dir, "stages/02-infrastructure/aws/terraform.tfstate"), join(dir, ".nebari/stages/02-infrastructure/aws/terraform.tfstate")]);
  });

  test("remote backends: both spellings where the escaped project name differs (AWS projects starting with aws, Azure names with -)", () => {
    const loaded = loadConfig(CONFIG, { env: {} });
    const aws = { ...loaded.config, project_name: "awsome", escaped_project_name: "aawsome", terraform_state: { ...loaded.config.terraform_state, type: "remote" as const } };
    const remote = stateCandidates(aws, "02-infrastructure", "/w").filter((c) => c.startsWith("s3://"));
    expect(remote[0]).toBe("s3://aawsome-dev-terraform-state/terraform/aawsome-dev/02-infrastructure.tfstate?lock_table=aawsome-dev-terraform-state-lock&region=us-east-1");
    expect(remote).toContain("s3://awsome-dev-terraform-state/terraform/aawsome-dev/02-infrastructure.tfstate?lock_table=awsome-dev-terraform-state-lock&region=us-east-1");
    expect(remote).toHaveLength(4);
    const azure = { ...aws, provider: "azure" as const, project_name: "my-proj", escaped_project_name: "mya2Dproj", azure: { storage_account_postfix: "abcd" } as never };
    const blobs = stateCandidates(azure, "03-kubernetes-initialize", "/w").filter((c) => c.startsWith("azblob://"));
    expect(blobs[0]).toBe("azblob://mya2Dprojdevabcd/mya2Dproj-dev-state/terraform/mya2Dproj-dev/03-kubernetes-initialize");
    expect(blobs).toContain("azblob://myprojdevabcd/my-proj-dev-state/terraform/my-proj-dev/03-kubernetes-initialize");
  });
});
