// Reading Terraform state from S3 (DynamoDB lock item and S3 lockfile), GCS and Azure Blob on the state emulators:
// the state reads while no Terraform run holds its lock; a held lock is refused, its holder named, and left in place.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { BlobServiceClient } from "@azure/storage-blob";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NicError } from "../../src/cli/errors.ts";
import { newLockInfo } from "../../src/state/lock.ts";
import { openBackend } from "../../src/state/open.ts";
import { readTerraformState } from "../../src/terraform/read.ts";
import { startEmulators, type BackendCase, type Emulators } from "../state/emulators.ts";

const EXAMPLE = readFileSync(join(import.meta.dir, "../../fixtures/tfstate/aws-example.tfstate.json"), "utf8");
const TERRAFORM_LOCK = JSON.stringify({ ID: "5e1f-tf", Operation: "OperationTypeApply", Info: "", Who: "carol@ci-runner", Version: "1.11.4", Created: "2026-11-27T06:00:00Z", Path: "x" });

let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators();
}, 60_000);
afterAll(async () => {
  await emulators?.stop();
});

const backendCase = (name: string): BackendCase => emulators.cases.find((c) => c.name === name)!;

/** Puts `text` at `location` the way any writer would (through NIC's backend, which needs its own lock to write). */
async function put(location: string, text: string, env: Record<string, string>) {
  const backend = await openBackend(location, env);
  const handle = await backend.lock(newLockInfo("test", location));
  await backend.writeText(text, handle);
  await backend.unlock(handle);
}

/** A `.tfstate` location on the case's backend (Terraform's GCS lock object is named after it). */
async function stateLocation(c: BackendCase): Promise<string> {
  return (await c.newLocation()).replace("nic-state.json", "default.tfstate");
}

async function refused(location: string, env: Record<string, string>): Promise<NicError> {
  const err = await readTerraformState(location, env).catch((e) => e);
  expect(err).toBeInstanceOf(NicError);
  return err as NicError;
}

describe.each(["s3+dynamodb", "s3-lockfile", "gcs", "azblob"])("%s", (name) => {
  test("reads the state; a missing one reads as undefined", async () => {
    const c = backendCase(name);
    const location = await stateLocation(c);
    expect(await readTerraformState(location, c.env)).toBeUndefined();
    await put(location, EXAMPLE, c.env);
    const read = await readTerraformState(location, c.env);
    expect(read?.state.lineage).toBe("3d213a9c-13b9-e059-5890-d4039088599d");
    expect(read?.bytes).toBe(Buffer.byteLength(EXAMPLE));
  }, 30_000);
});

describe("Terraform's locks are honoured and never broken", () => {
  test("S3 + DynamoDB: the lock item <bucket>/<key> refuses; the -md5 digest item is checked, not taken for a lock", async () => {
    const c = backendCase("s3+dynamodb");
    const location = await stateLocation(c);
    await put(location, EXAMPLE, c.env);
    const url = new URL(location);
    const lockId = `${url.hostname}${url.pathname}`;
    const dynamo = new DynamoDBClient({ region: c.env.AWS_REGION, endpoint: c.env.AWS_ENDPOINT_URL_DYNAMODB, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    const digest = (hex: string) => dynamo.send(new PutItemCommand({ TableName: "nic-state-lock", Item: { LockID: { S: `${lockId}-md5` }, Digest: { S: hex } } }));
    await digest(createHash("md5").update(EXAMPLE).digest("hex"));
    expect((await readTerraformState(location, c.env))?.state.serial).toBe(103);
    await digest("0123456789abcdef0123456789abcdef");
    expect((await refused(location, c.env)).message).toContain("does not match the digest");
    await digest(createHash("md5").update(EXAMPLE).digest("hex"));

    await dynamo.send(new PutItemCommand({ TableName: "nic-state-lock", Item: { LockID: { S: lockId }, Info: { S: TERRAFORM_LOCK } } }));
    const err = await refused(location, c.env);
    expect(err.code).toBe("TFSTATE_LOCKED");
    expect(err.message).toContain("carol@ci-runner");
    expect(err.recovery.join(" ")).toContain("terraform force-unlock 5e1f-tf");
    const item = await dynamo.send(new GetItemCommand({ TableName: "nic-state-lock", Key: { LockID: { S: lockId } } }));
    expect(item.Item?.Info?.S).toBe(TERRAFORM_LOCK);
    await dynamo.send(new DeleteItemCommand({ TableName: "nic-state-lock", Key: { LockID: { S: lockId } } }));
    expect(await readTerraformState(location, c.env)).toBeDefined();
  }, 30_000);

  test("S3 lockfile <key>.tflock (Terraform ≥ 1.10) and GCS <prefix>/default.tflock", async () => {
    for (const name of ["s3-lockfile", "gcs"]) {
      const c = backendCase(name);
      const location = await stateLocation(c);
      await put(location, EXAMPLE, c.env);
      const lockLocation = name === "gcs" ? location.replace(/\.tfstate$/, ".tflock") : `${location}.tflock`;
      await put(lockLocation, TERRAFORM_LOCK, c.env);
      const err = await refused(location, c.env);
      expect({ name, code: err.code, who: (err.details.lock as { who: string }).who }).toEqual({ name, code: "TFSTATE_LOCKED", who: "carol@ci-runner" });
      expect(await (await openBackend(lockLocation, c.env)).readText()).toBe(TERRAFORM_LOCK);
    }
  }, 30_000);

  test("Azure: a lease on the state blob (azurerm's lock) refuses", async () => {
    const c = backendCase("azblob");
    const location = await stateLocation(c);
    await put(location, EXAMPLE, c.env);
    const [, , account, container, ...blob] = location.split("/");
    expect(account).toBe("devstoreaccount1");
    const client = BlobServiceClient.fromConnectionString(c.env.AZURE_STORAGE_CONNECTION_STRING!).getContainerClient(container!).getBlockBlobClient(blob.join("/"));
    const lease = client.getBlobLeaseClient();
    await lease.acquireLease(-1);
    await client.setMetadata({ terraformlockid: Buffer.from(TERRAFORM_LOCK).toString("base64") }, { conditions: { leaseId: lease.leaseId } });
    const err = await refused(location, c.env);
    expect(err.code).toBe("TFSTATE_LOCKED");
    expect((await client.getProperties()).leaseState).toBe("leased");
    await lease.releaseLease();
  }, 30_000);
});
