// One contract, every backend: read/write, serial and lineage checks, the secrets guard, lock/unlock/forceUnlock,
// against real emulators (the sandbox S3 + dynalite, the GCS module, azurite) and the local disk.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BlobServiceClient } from "@azure/storage-blob";
import { NicError } from "../../src/cli/errors.ts";
import type { StateBackend } from "../../src/state/backend.ts";
import { newState } from "../../src/state/format.ts";
import { newLockInfo, UNLABELLED_LOCK_ID } from "../../src/state/lock.ts";
import { openBackend } from "../../src/state/open.ts";
import { readState, writeState } from "../../src/state/store.ts";
import { startEmulators, type Emulators } from "./emulators.ts";

let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators();
}, 60_000);
afterAll(() => emulators?.stop());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof NicError ? err.code : `not a NicError: ${err}`;
  }
  return "no error";
}

const state = () => newState({ provider: "aws", projectName: "demo", region: "us-west-2" });

for (const name of ["local", "s3+dynamodb", "s3-lockfile", "gcs", "azblob"]) {
  describe(`${name} backend`, () => {
    let backend: StateBackend;
    beforeAll(async () => {
      const c = emulators.cases.find((x) => x.name === name)!;
      backend = await openBackend(await c.newLocation(), { ...process.env, ...c.env });
    });

    test("starts empty and unlocked", async () => {
      expect(await readState(backend)).toBeUndefined();
      expect(await backend.describeLock()).toBeUndefined();
    });

    test("a second lock names the first holder; unlock frees it", async () => {
      const first = await backend.lock(newLockInfo("deploy", backend.location));
      const holder = await backend.describeLock();
      expect(holder?.id).toBe(first.id);
      expect(holder?.operation).toBe("deploy");
      expect(holder?.pid).toBe(process.pid);
      let caught: unknown;
      await backend.lock(newLockInfo("destroy", backend.location)).catch((err) => (caught = err));
      expect(caught).toBeInstanceOf(NicError);
      expect((caught as NicError).code).toBe("STATE_LOCKED");
      expect(((caught as NicError).details.lock as { id: string }).id).toBe(first.id);
      expect((caught as NicError).message).toContain("deploy");
      await backend.unlock(first);
      expect(await backend.describeLock()).toBeUndefined();
    });

    test("writes succeed each other by serial; stale and foreign states are refused", async () => {
      const lock = await backend.lock(newLockInfo("deploy", backend.location));
      try {
        const first = await writeState(backend, lock, state());
        expect(first.serial).toBe(1);
        const second = await writeState(backend, lock, { ...first, region: "eu-west-1" });
        expect(second.serial).toBe(2);
        const stored = await readState(backend);
        expect(stored?.state).toEqual(second);
        expect(await codeOf(writeState(backend, lock, first))).toBe("STATE_CONFLICT");
        expect(await codeOf(writeState(backend, lock, { ...second, lineage: crypto.randomUUID() }))).toBe("STATE_CONFLICT");
        const leaky = structuredClone(second);
        leaky.resources["aws/iam_user/ci"] = { kind: "iam_user", provider_id: "ci", attributes: { secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, imported_from_terraform: false, created_at: second.metadata.created, updated_at: second.metadata.created };
        expect(await codeOf(writeState(backend, lock, leaky))).toBe("STATE_INVALID");
        expect((await readState(backend))?.state.serial).toBe(2);
      } finally {
        await backend.unlock(lock);
      }
    });

    test("forceUnlock needs the right id and breaks another holder's lock", async () => {
      expect(await codeOf(backend.forceUnlock("nope"))).toBe("STATE_NOT_LOCKED");
      const stuck = await backend.lock(newLockInfo("deploy", backend.location));
      expect(await codeOf(backend.forceUnlock("wrong-id"))).toBe("INPUT_INVALID");
      const broken = await backend.forceUnlock(stuck.id);
      expect(broken.id).toBe(stuck.id);
      expect(await backend.describeLock()).toBeUndefined();
      // The old holder comes back after someone else took the lock: its release must not free the new lock.
      const next = await backend.lock(newLockInfo("deploy", backend.location));
      expect(await codeOf(backend.unlock(stuck))).toBe("STATE_BACKEND_ERROR");
      expect((await backend.describeLock())?.id).toBe(next.id);
      await backend.unlock(next);
      expect(await backend.describeLock()).toBeUndefined();
    });
  });
}

test("gcs: the lock id is the lock object's generation", async () => {
  const c = emulators.cases.find((x) => x.name === "gcs")!;
  const location = await c.newLocation();
  const backend = await openBackend(location, { ...process.env, ...c.env });
  const lock = await backend.lock(newLockInfo("deploy", location));
  const object = location.replace("gs://nic-state/", "");
  const res = await fetch(`${c.env.STORAGE_EMULATOR_HOST}/storage/v1/b/nic-state/o/${encodeURIComponent(`${object}.tflock`)}`);
  expect(((await res.json()) as { generation: string }).generation).toBe(lock.id);
  await backend.unlock(lock);
});

test("azblob: a lease without lock metadata is reported as unlabelled and can be broken", async () => {
  const c = emulators.cases.find((x) => x.name === "azblob")!;
  const location = await c.newLocation();
  const blob = BlobServiceClient.fromConnectionString(c.env.AZURE_STORAGE_CONNECTION_STRING!).getContainerClient("nic-state").getBlockBlobClient(location.split("/nic-state/")[1]!);
  await blob.upload("", 0);
  await blob.getBlobLeaseClient(crypto.randomUUID()).acquireLease(-1);
  const backend = await openBackend(location, { ...process.env, ...c.env });
  expect((await backend.describeLock())?.id).toBe(UNLABELLED_LOCK_ID);
  expect(await codeOf(backend.lock(newLockInfo("deploy", location)))).toBe("STATE_LOCKED");
  await backend.forceUnlock(UNLABELLED_LOCK_ID);
  expect(await backend.describeLock()).toBeUndefined();
  const lock = await backend.lock(newLockInfo("deploy", location));
  await backend.unlock(lock);
});
