// Reading a Terraform state from a file, S3, GCS or Azure Blob: read-only, and refused while Terraform's own lock is held.
// Bytes come through NIC's state backends (same credentials, endpoints, emulators); the locks are Terraform's:
// the local `.terraform.tfstate.lock.info`, the S3 `<key>.tflock` lockfile, the DynamoDB item `<bucket>/<key>`,
// the GCS `<prefix>/default.tflock` object and the Azure blob lease. Nothing here ever writes.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { NicError } from "../cli/errors.ts";
import { openBackend } from "../state/open.ts";
import { MAX_TFSTATE_BYTES, parseTerraformState, tooLarge, type LoadedTerraformState } from "./tfstate.ts";

export type Env = Record<string, string | undefined>;

/** Terraform's lock information (`terraform force-unlock` takes its ID). */
export interface TerraformLock {
  id: string;
  who: string;
  operation: string;
  created: string;
  /** Where the lock sits. */
  at: string;
}

/** The state at `location`, or undefined when nothing is stored there. Throws TFSTATE_LOCKED while Terraform holds its lock. */
export async function readTerraformState(location: string, env: Env): Promise<LoadedTerraformState | undefined> {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? await readRemote(location, env) : readLocal(location);
  if (text === undefined) return undefined;
  return { location, bytes: Buffer.byteLength(text), state: parseTerraformState(text, location) };
}

function readLocal(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isFile()) throw new NicError("TFSTATE_INVALID", `${path} is not a file`, { details: { source: path } });
  if (stat.size > MAX_TFSTATE_BYTES) throw tooLarge(path, stat.size);
  const lockFile = join(dirname(path), ".terraform.tfstate.lock.info");
  if (existsSync(lockFile)) refuseLocked(path, parseLock(readFileSync(lockFile, "utf8"), lockFile));
  return readFileSync(path, "utf8");
}

async function readRemote(location: string, env: Env): Promise<string | undefined> {
  const url = new URL(location);
  const scheme = url.protocol.replace(/:$/, "").toLowerCase();
  const bucket = url.hostname;
  const key = decodeURIComponent(url.pathname.replace(/^\//, ""));
  const plain = `${scheme}://${bucket}/${key}`;
  const region = url.searchParams.get("region");
  const withRegion = (s: string) => (region ? `${s}?region=${encodeURIComponent(region)}` : s);
  let digest: string | undefined;
  if (scheme === "s3") {
    const lockTable = url.searchParams.get("lock_table");
    if (lockTable) digest = await checkDynamoLock(lockTable, `${bucket}/${key}`, location, env, region ?? undefined);
    await checkLockObject(withRegion(`${plain}.tflock`), location, env);
  } else if (scheme === "gs") {
    await checkLockObject(`gs://${bucket}/${key.replace(/\.tfstate$/, "")}.tflock`, location, env);
  } else if (scheme === "azblob") {
    await checkAzureLease(plain, env);
  }
  const text = await (await openBackend(scheme === "s3" ? withRegion(plain) : plain, env)).readText();
  if (text !== undefined && Buffer.byteLength(text) > MAX_TFSTATE_BYTES) throw tooLarge(location, Buffer.byteLength(text));
  if (text !== undefined && digest && createHash("md5").update(text).digest("hex") !== digest) {
    throw new NicError("TFSTATE_INVALID", `${location} does not match the digest Terraform recorded in its DynamoDB table: a write is in progress, or S3 served an older copy`, {
      details: { source: location, expected_md5: digest },
      recovery: ["Wait a minute and rerun `nic import`.", "If it persists, run `terraform plan` in the stage folder: Terraform reports the same mismatch and how to resolve it."],
    });
  }
  return text;
}

/** S3 lockfiles (Terraform ≥ 1.10) and GCS lock objects hold the lock information as JSON. */
async function checkLockObject(lockLocation: string, stateLocation: string, env: Env): Promise<void> {
  const text = await (await openBackend(lockLocation, env)).readText();
  if (text !== undefined) refuseLocked(stateLocation, parseLock(text, lockLocation));
}

/**
 * Terraform's DynamoDB table holds the lock item `<bucket>/<key>` (only while locked) and the item `<bucket>/<key>-md5`
 * with the digest of the state last written. Returns that digest, to check the bytes read from S3 against it.
 */
async function checkDynamoLock(table: string, lockId: string, stateLocation: string, env: Env, region?: string): Promise<string | undefined> {
  const { DynamoDBClient, GetItemCommand } = await import("@aws-sdk/client-dynamodb");
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN } : undefined;
  const client = new DynamoDBClient({ region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION, credentials, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL });
  const item = (id: string) => client.send(new GetItemCommand({ TableName: table, Key: { LockID: { S: id } }, ConsistentRead: true })).then((r) => r.Item);
  try {
    const lock = await item(lockId);
    if (lock) refuseLocked(stateLocation, parseLock(lock.Info?.S ?? "", `dynamodb://${table}/${lockId}`));
    return (await item(`${lockId}-md5`))?.Digest?.S;
  } catch (err) {
    if (err instanceof NicError) throw err;
    if ((err as Error).name === "ResourceNotFoundException") return undefined;
    throw new NicError("STATE_BACKEND_ERROR", `Cannot read Terraform's lock item ${lockId} in DynamoDB table ${table}: ${(err as Error).message}`, { details: { table, lock_id: lockId }, cause: err });
  } finally {
    client.destroy();
  }
}

/** Terraform's azurerm backend leases the state blob; any lease means a Terraform run (or NIC's own) is in progress. */
async function checkAzureLease(location: string, env: Env): Promise<void> {
  const holder = await (await openBackend(location, env)).describeLock();
  if (holder) refuseLocked(location, { id: holder.id, who: holder.who, operation: holder.operation, created: holder.created, at: `lease on ${location}` });
}

export function parseLock(text: string, at: string): TerraformLock {
  try {
    const info = JSON.parse(text) as Record<string, unknown>;
    const field = (name: string) => String(info[name] ?? info[name.toLowerCase()] ?? "unknown");
    return { id: field("ID"), who: field("Who"), operation: field("Operation"), created: field("Created"), at };
  } catch {
    return { id: "unknown", who: "unknown", operation: "unknown", created: "unknown", at };
  }
}

function refuseLocked(location: string, lock: TerraformLock): never {
  throw new NicError("TFSTATE_LOCKED", `Terraform's lock on ${location} is held by ${lock.who} (${lock.operation}, since ${lock.created}); NIC reads a state only while no Terraform run holds it`, {
    details: { location, lock },
    recovery: [
      "Wait for the Terraform run to finish, then rerun `nic import`.",
      `If no Terraform run is active, release the lock with Terraform itself: \`terraform force-unlock ${lock.id}\` in the stage folder. NIC never breaks Terraform's lock.`,
    ],
  });
}
