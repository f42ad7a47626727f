// State in S3. The lock is either an S3 conditional-write lockfile `<key>.tflock` (If-None-Match: *, as Terraform ≥ 1.10)
// or, with ?lock_table=NAME, a DynamoDB item (LockID = "<bucket>/<key>", as the table Nebari's stage 01 creates).
// Credentials, region and endpoints come from the AWS SDK's standard chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL…).
import { deadlines } from "../../net/deadlines.ts";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { NicError } from "../../cli/errors.ts";
import type { StateBackend } from "../backend.ts";
import { lockedError, lockStolen, requireLockId, unlabelledLock, type LockHandle, type LockInfo } from "../lock.ts";

interface S3Options {
  location: string;
  bucket: string;
  key: string;
  lockTable?: string;
  region?: string;
  env: Record<string, string | undefined>;
}

/** How a lock is stored: the raw text is kept so a release deletes exactly what this process wrote. */
interface LockStore {
  create(info: LockInfo): Promise<boolean>;
  read(): Promise<{ info: LockInfo; raw: string } | undefined>;
  remove(raw: string): Promise<void>;
}

export class S3Backend implements StateBackend {
  readonly location: string;
  private readonly s3: S3Client;
  private readonly locks: LockStore;

  constructor(private readonly opts: S3Options) {
    this.location = opts.location;
    const { env } = opts;
    const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    // The SDK reads these same variables from process.env; reading them from `env` keeps a caller's environment authoritative.
    const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN } : undefined;
    const s3Endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    // A custom endpoint (sandbox, emulator, MinIO) rarely serves virtual-hosted bucket names.
    // No call without a deadline (net/deadlines.ts): the SDK retries a timed-out request, then it fails as a backend error.
    const { connectMs, requestMs } = deadlines(env);
    const requestHandler = { connectionTimeout: connectMs, requestTimeout: requestMs, throwOnRequestTimeout: true } as any;
    this.s3 = new S3Client({ region, credentials, endpoint: s3Endpoint, forcePathStyle: Boolean(s3Endpoint), requestHandler });
    this.locks = opts.lockTable
      ? new DynamoLocks(new DynamoDBClient({ region, credentials, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL, requestHandler }), opts.lockTable, `${opts.bucket}/${opts.key}`)
      : new LockFile(this.s3, opts.bucket, `${opts.key}.tflock`);
  }

  async readText(): Promise<string | undefined> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.opts.key }));
      return await result.Body?.transformToString("utf8");
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw awsError(`Cannot read ${this.location}`, err);
    }
  }

  async writeText(text: string, _lock: LockHandle): Promise<void> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: this.opts.key, Body: text, ContentType: "application/json" }));
    } catch (err) {
      throw awsError(`Cannot write ${this.location}`, err);
    }
  }

  async lock(info: LockInfo): Promise<LockHandle> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.locks.create(info)) return { id: info.id, info };
      const holder = await this.locks.read();
      if (holder) throw lockedError(holder.info, this.location);
    }
    throw new NicError("STATE_BACKEND_ERROR", `The lock on ${this.location} keeps appearing and vanishing`, { details: { location: this.location } });
  }

  async unlock(handle: LockHandle): Promise<void> {
    const current = await this.locks.read();
    if (!current) return;
    if (current.info.id !== handle.id) throw lockStolen(this.location, current.info);
    await this.locks.remove(current.raw);
  }

  async forceUnlock(id: string): Promise<LockInfo> {
    const current = await this.locks.read();
    requireLockId(current?.info, id, this.location);
    await this.locks.remove(current!.raw);
    return current!.info;
  }

  async describeLock(): Promise<LockInfo | undefined> {
    return (await this.locks.read())?.info;
  }
}

class LockFile implements LockStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {}

  async create(info: LockInfo): Promise<boolean> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: JSON.stringify(info), ContentType: "application/json", IfNoneMatch: "*" }));
      return true;
    } catch (err) {
      // 412 when the lockfile exists; 409 when another conditional write to it is in flight.
      if (httpStatus(err) === 412 || httpStatus(err) === 409) return false;
      throw awsError(`Cannot create the lockfile s3://${this.bucket}/${this.key}`, err);
    }
  }

  async read(): Promise<{ info: LockInfo; raw: string } | undefined> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      const raw = (await result.Body?.transformToString("utf8")) ?? "";
      return { info: parseInfo(raw, `s3://${this.bucket}/${this.key}`), raw };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw awsError(`Cannot read the lockfile s3://${this.bucket}/${this.key}`, err);
    }
  }

  async remove(_raw: string): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key }));
    } catch (err) {
      throw awsError(`Cannot delete the lockfile s3://${this.bucket}/${this.key}`, err);
    }
  }
}

class DynamoLocks implements LockStore {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly table: string,
    private readonly lockId: string,
  ) {}

  async create(info: LockInfo): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { LockID: { S: this.lockId }, Info: { S: JSON.stringify(info) } },
          ConditionExpression: "attribute_not_exists(LockID)",
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw awsError(`Cannot write the lock item ${this.lockId} in DynamoDB table ${this.table}`, err);
    }
  }

  async read(): Promise<{ info: LockInfo; raw: string } | undefined> {
    try {
      const result = await this.dynamo.send(new GetItemCommand({ TableName: this.table, Key: { LockID: { S: this.lockId } }, ConsistentRead: true }));
      if (!result.Item) return undefined;
      const raw = result.Item.Info?.S ?? "";
      return { info: parseInfo(raw, `dynamodb://${this.table}/${this.lockId}`), raw };
    } catch (err) {
      throw awsError(`Cannot read the lock item ${this.lockId} in DynamoDB table ${this.table}`, err);
    }
  }

  async remove(raw: string): Promise<void> {
    try {
      // Deletes only the lock that was read: a lock taken meanwhile by someone else survives.
      await this.dynamo.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { LockID: { S: this.lockId } },
          ConditionExpression: raw ? "Info = :info" : "attribute_not_exists(Info)",
          ExpressionAttributeValues: raw ? { ":info": { S: raw } } : undefined,
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return;
      throw awsError(`Cannot delete the lock item ${this.lockId} in DynamoDB table ${this.table}`, err);
    }
  }
}

function parseInfo(raw: string, path: string): LockInfo {
  try {
    const info = JSON.parse(raw) as LockInfo;
    return typeof info?.id === "string" ? info : unlabelledLock(path);
  } catch {
    return unlabelledLock(path);
  }
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as Error)?.name;
  return name === "NoSuchKey" || name === "NotFound" || httpStatus(err) === 404;
}

function awsError(message: string, err: unknown): NicError {
  const name = (err as Error)?.name ?? "Error";
  const reason = (err as Error)?.message ?? String(err);
  return new NicError("STATE_BACKEND_ERROR", `${message}: ${name}: ${reason}`, { details: { error: name, http_status: httpStatus(err), reason }, recovery: awsRecovery(name, reason), cause: err });
}

function awsRecovery(name: string, reason: string): string[] {
  if (name === "CredentialsProviderError" || /credential/i.test(reason)) return ["Configure AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO or an instance role)."];
  if (/region/i.test(reason)) return ["Set AWS_REGION or add &region=REGION to the s3:// location."];
  if (name === "NoSuchBucket") return ["Create the bucket, or check the bucket name in --state (Nebari's stage 01 creates <project>-<namespace>-terraform-state)."];
  if (name === "ResourceNotFoundException") return ["Create the DynamoDB lock table (Nebari's stage 01 creates <project>-<namespace>-terraform-state-lock), or leave out ?lock_table= to lock with a lockfile in S3."];
  // The SDK could not parse the answer: something that is not S3 or DynamoDB answered.
  if (name === "SyntaxError" || /Deserialization error/i.test(reason)) {
    return ["The endpoint that answered is not S3 or DynamoDB: check AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_DYNAMODB.", "Or pass --state with another location (a local path needs no cloud)."];
  }
  return ["Check network access and permissions for the state backend, or pass --state with another location."];
}
