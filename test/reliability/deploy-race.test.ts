// R1 (CI subset): one trial per state backend of 8 concurrent `nic deploy` runs on one state; the full 50 per backend is `make soak`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SANDBOX_CREDENTIALS } from "../../sandbox/index.ts";
import { checkTrial, DeployRace, PROCESSES, withUserMaxNodes, type ProcessRun } from "./deploy-race.ts";
import { scanText } from "./scan.ts";

const BACKENDS = ["local", "s3-lockfile", "s3+dynamodb", "gcs", "azblob"];

describe("8 concurrent deploys on one state", () => {
  let race: DeployRace;
  beforeAll(async () => {
    race = await DeployRace.start();
  }, 60_000);
  afterAll(() => race?.stop());

  test("the emulators offer every backend the issue names", () => {
    expect(race.backends.sort()).toEqual([...BACKENDS].sort());
  });

  for (const backend of BACKENDS) {
    test(`${backend}: one holder at a time, every update kept, the sandbox matches the state`, async () => {
      await race.use(backend);
      const { holds, violations, written } = await race.trial();
      expect(violations).toEqual([]);
      // R5: what the runs printed at debug level, and the state they left, hold no secret.
      const known = [SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY, SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID];
      expect(written.length).toBe(2 * PROCESSES + 1);
      expect(written.flatMap((w) => scanText(w.text, `${backend} ${w.source}`, known))).toEqual([]);
      expect(holds).toHaveLength(PROCESSES);
      expect(new Set(holds.map((h) => h.pid)).size).toBe(PROCESSES);
    }, 120_000);
  }
});

describe("the checker", () => {
  const log = (pid: number, lockId: string, acquired: string, releasing: string) =>
    [
      { level: "debug", message: "State lock acquired", time: acquired, pid, lock_id: lockId },
      { level: "info", message: "created aws/vpc/main" },
      { level: "debug", message: "State lock releasing", time: releasing, pid, lock_id: lockId },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
  const run = (value: number, serial: number, stderr: string, code = 0): ProcessRun => ({ value, code, stderr, stdout: JSON.stringify({ success: code === 0, state: { serial } }) });
  const clean = {
    before: { serial: 10, deployCount: 1, value: 5 },
    after: { serial: 14, deployCount: 3, value: 11 },
    live: 11,
    untracked: [],
    duplicates: [],
  };
  const t = (s: number) => `2026-11-27T10:00:0${s}.000Z`;

  test("passes holders that follow one another and a state ending with the last holder's value", () => {
    const runs = [run(11, 14, log(2, "b", t(2), t(3))), run(10, 12, log(1, "a", t(0), t(2)))];
    const { holds, violations } = checkTrial({ ...clean, runs });
    expect(violations).toEqual([]);
    expect(holds.map((h) => h.pid)).toEqual([1, 2]);
  });

  test("reports overlapping holders, a lost update, a stale sandbox, untracked and duplicate resources, a failed run", () => {
    const runs = [run(10, 12, log(1, "a", t(0), t(3))), run(11, 12, log(2, "b", t(1), t(2))), run(12, 0, "", 4)];
    const { violations } = checkTrial({ ...clean, runs, after: { serial: 12, deployCount: 2, value: 10 }, live: 10, untracked: ["ec2:vpc:vpc-1"], duplicates: ["iam:role:x ×2"] });
    const expected = [
      "exited 4",
      "logged 0 lock acquisitions",
      "pid 2 acquired the lock at 2026-11-27T10:00:01.000Z while pid 1 held it",
      "pid 2 ended at serial 12, not above 12",
      "final deploy_count 2, expected 4",
      "state has max_nodes=10, the last holder (pid 2) deployed 11",
      "sandbox has max_nodes=10",
      "untracked in the sandbox: ec2:vpc:vpc-1",
      "duplicate in the sandbox: iam:role:x ×2",
    ];
    for (const text of expected) expect(violations.some((v) => v.includes(text))).toBe(true);
    expect(violations).toHaveLength(expected.length);
  });

  test("reports a missing or corrupt final state", () => {
    const runs = [run(11, 14, log(2, "b", t(2), t(3)))];
    expect(checkTrial({ ...clean, runs, after: undefined }).violations).toEqual(["the final state is missing or corrupt"]);
  });

  test("each process's config differs only in the user node group's max_nodes", () => {
    expect(withUserMaxNodes(13)).toMatch(/user:\n\s+instance: m5.xlarge\n\s+min_nodes: 0\n\s+max_nodes: 13\n/);
    expect(withUserMaxNodes(13).replace("max_nodes: 13", "max_nodes: 7")).toBe(withUserMaxNodes(7));
  });
});
