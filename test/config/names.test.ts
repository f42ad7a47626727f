import { describe, expect, test } from "bun:test";
import { azureEscape, azureResourceGroups, clusterName, escapedProjectName, stage01Storage } from "../../src/config/names.ts";
import { checkKubernetesVersion, knownMinors } from "../../src/config/kubernetes-versions.ts";
import { formatTaint, parseTaint } from "../../src/config/sections.ts";

describe("derived names (nebari-stages.md §1.1, §1.6, §5)", () => {
  test("Azure hex escaping escapes every non-alphanumeric and every literal a", () => {
    expect(azureEscape("my-proj")).toBe("mya2Dproj");
    expect(azureEscape("data-science")).toBe("da61ta61a2Dscience");
    expect(azureEscape("x_y")).toBe("xa5Fy");
  });

  test("escaped project name per provider", () => {
    expect(escapedProjectName("my-proj", "azure")).toBe("mya2Dproj");
    expect(escapedProjectName("data", "azure")).toBe("data"); // no '-': unchanged, the a's survive
    expect(escapedProjectName("awsproj", "aws")).toBe("aawsproj");
    expect(escapedProjectName("awsproj", "gcp")).toBe("awsproj");
    expect(escapedProjectName("my-proj", "aws")).toBe("my-proj");
  });

  test("cluster name and Azure resource groups (unescaped)", () => {
    expect(clusterName("aawsproj", "dev")).toBe("aawsproj-dev");
    expect(azureResourceGroups("my-proj", "dev")).toEqual({ main: "my-proj-dev", node: "my-proj-dev-node-resource-group", state: "my-proj-dev-state" });
    expect(azureResourceGroups("my-proj", "dev", "rg").node).toBe("rg-node-resource-group");
  });

  test("stage-01 storage names use the unescaped project name", () => {
    const s = stage01Storage("awsproj", "dev");
    expect([s.awsBucket, s.awsLockTable, s.gcpBucket, s.azureContainer]).toEqual([
      "awsproj-dev-terraform-state", "awsproj-dev-terraform-state-lock", "awsproj-dev-terraform-state", "awsproj-dev-state",
    ]);
    expect(stage01Storage("my-proj", "dev").azureStorageAccount("abcd")).toBe("myprojdevabcd");
  });
});

describe("Kubernetes versions", () => {
  const today = new Date("2026-11-27");
  test("AWS is exact, knows history, warns past end of support, rejects what never existed", () => {
    expect(knownMinors("aws")[0]).toBe("1.10");
    expect(checkKubernetesVersion("aws", "1.20", today)).toMatchObject({ ok: true, unsupported: expect.stringContaining("past the end of all support") });
    expect(checkKubernetesVersion("aws", "1.34", today)).toEqual({ ok: true, resolved: "1.34", warning: undefined });
    expect(checkKubernetesVersion("aws", "1.0", today).ok).toBe(false);
    expect(checkKubernetesVersion("aws", "1.34.1", today).ok).toBe(false);
    expect(checkKubernetesVersion("aws", null, today).resolved).toBe("1.34");
  });

  test("GCP matches by prefix, like Nebari's startswith", () => {
    expect(checkKubernetesVersion("gcp", "1.31.12-gke.1220000", today).ok).toBe(true);
    expect(checkKubernetesVersion("gcp", "1.3", today)).toMatchObject({ ok: true, warning: expect.stringContaining("prefix") });
    expect(checkKubernetesVersion("gcp", "1.99", today).ok).toBe(false);
  });

  test("Azure accepts minors and patch versions", () => {
    expect(checkKubernetesVersion("azure", "1.33.2", today).ok).toBe(true);
    expect(checkKubernetesVersion("azure", "1.6", today).ok).toBe(false);
  });
});

describe("taints", () => {
  test("string form round-trips", () => {
    for (const text of ["dedicated=nebari:NoSchedule", "nvidia.com/gpu=present:NoExecute", "foo:PreferNoSchedule"]) {
      expect(formatTaint(parseTaint(text)!)).toBe(text);
    }
    expect(parseTaint("foo=bar:Sometimes")).toBeUndefined();
  });
});
