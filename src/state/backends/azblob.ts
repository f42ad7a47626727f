// State in Azure Blob Storage. The lock is an infinite lease on the state blob (the lease id is the lock id) and the lock
// information sits in the blob's metadata. A lease whose metadata is empty (a crash between the two steps) is reported as
// unlabelled and can still be broken. Credentials: AZURE_STORAGE_CONNECTION_STRING (azurite's too), AZURE_STORAGE_KEY /
// ARM_ACCESS_KEY, AZURE_STORAGE_SAS_TOKEN, else Entra ID through DefaultAzureCredential.
import { BlobServiceClient, StorageSharedKeyCredential, type BlockBlobClient } from "@azure/storage-blob";
import { NicError } from "../../cli/errors.ts";
import type { StateBackend } from "../backend.ts";
import { lockedError, lockStolen, requireLockId, unlabelledLock, type LockHandle, type LockInfo } from "../lock.ts";

interface AzureOptions {
  location: string;
  account: string;
  container: string;
  blob: string;
  env: Record<string, string | undefined>;
}

const LOCK_METADATA = "niclock";

export class AzureBlobBackend implements StateBackend {
  readonly location: string;
  private client?: BlockBlobClient;

  constructor(private readonly opts: AzureOptions) {
    this.location = opts.location;
  }

  async readText(): Promise<string | undefined> {
    const blob = await this.blob();
    try {
      const text = (await blob.downloadToBuffer()).toString("utf8");
      // An empty blob is the placeholder lock() creates to have something to lease: no state yet.
      return text === "" ? undefined : text;
    } catch (err) {
      if (statusOf(err) === 404 && codeOf(err) === "BlobNotFound") return undefined;
      throw azureError(`Cannot read ${this.location}`, err);
    }
  }

  async writeText(text: string, lock: LockHandle): Promise<void> {
    const blob = await this.blob();
    try {
      // Put Blob replaces metadata, so the lock information is written again with every state.
      await blob.upload(text, Buffer.byteLength(text), {
        conditions: { leaseId: lock.id },
        metadata: { [LOCK_METADATA]: encode(lock.info) },
        blobHTTPHeaders: { blobContentType: "application/json" },
      });
    } catch (err) {
      throw azureError(`Cannot write ${this.location}`, err);
    }
  }

  async lock(info: LockInfo): Promise<LockHandle> {
    const blob = await this.blob();
    try {
      // A lease needs a blob: create an empty one if none exists (an empty blob reads as "no state").
      await blob.upload("", 0, { conditions: { ifNoneMatch: "*" } }).catch((err) => {
        if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
      });
      await blob.getBlobLeaseClient(info.id).acquireLease(-1);
    } catch (err) {
      if (statusOf(err) === 409 && codeOf(err) === "LeaseAlreadyPresent") throw lockedError((await this.describeLock()) ?? unlabelledLock(this.location), this.location);
      throw azureError(`Cannot lease ${this.location}`, err);
    }
    try {
      await blob.setMetadata({ [LOCK_METADATA]: encode(info) }, { conditions: { leaseId: info.id } });
    } catch (err) {
      await blob.getBlobLeaseClient(info.id).releaseLease().catch(() => {});
      throw azureError(`Cannot label the lease on ${this.location}`, err);
    }
    return { id: info.id, info };
  }

  async unlock(handle: LockHandle): Promise<void> {
    const blob = await this.blob();
    try {
      await blob.setMetadata({}, { conditions: { leaseId: handle.id } });
      await blob.getBlobLeaseClient(handle.id).releaseLease();
    } catch (err) {
      const current = await this.describeLock();
      if (current && current.id !== handle.id) throw lockStolen(this.location, current);
      if (!current) return; // already released or broken
      throw azureError(`Cannot release the lease on ${this.location}`, err);
    }
  }

  async forceUnlock(id: string): Promise<LockInfo> {
    const current = requireLockId(await this.describeLock(), id, this.location);
    const blob = await this.blob();
    try {
      await blob.getBlobLeaseClient().breakLease(0);
      // Clearing the label fails harmlessly if someone leased the blob in between.
      await blob.setMetadata({}).catch(() => {});
    } catch (err) {
      throw azureError(`Cannot break the lease on ${this.location}`, err);
    }
    return current;
  }

  async describeLock(): Promise<LockInfo | undefined> {
    const blob = await this.blob();
    let properties;
    try {
      properties = await blob.getProperties();
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw azureError(`Cannot read the lease on ${this.location}`, err);
    }
    if (properties.leaseState !== "leased") return undefined;
    const label = properties.metadata?.[LOCK_METADATA];
    return label ? decode(label, this.location) : unlabelledLock(this.location);
  }

  private async blob(): Promise<BlockBlobClient> {
    if (!this.client) this.client = (await serviceClient(this.opts.account, this.opts.env)).getContainerClient(this.opts.container).getBlockBlobClient(this.opts.blob);
    return this.client;
  }
}

async function serviceClient(account: string, env: Record<string, string | undefined>): Promise<BlobServiceClient> {
  if (env.AZURE_STORAGE_CONNECTION_STRING) return BlobServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING);
  const url = `https://${account}.blob.core.windows.net`;
  const key = env.AZURE_STORAGE_KEY ?? env.ARM_ACCESS_KEY;
  if (key) return new BlobServiceClient(url, new StorageSharedKeyCredential(account, key));
  if (env.AZURE_STORAGE_SAS_TOKEN) return new BlobServiceClient(`${url}?${env.AZURE_STORAGE_SAS_TOKEN.replace(/^\?/, "")}`);
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new BlobServiceClient(url, new DefaultAzureCredential());
}

function encode(info: LockInfo): string {
  return Buffer.from(JSON.stringify(info)).toString("base64");
}

function decode(label: string, location: string): LockInfo {
  try {
    return JSON.parse(Buffer.from(label, "base64").toString("utf8")) as LockInfo;
  } catch {
    return unlabelledLock(location);
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number })?.statusCode;
}

function codeOf(err: unknown): string | undefined {
  return (err as { code?: string; details?: { errorCode?: string } })?.details?.errorCode ?? (err as { code?: string })?.code;
}

function azureError(message: string, err: unknown): NicError {
  const code = codeOf(err);
  const reason = (err as Error)?.message?.split("\n")[0] ?? String(err);
  const recovery =
    code === "ContainerNotFound"
      ? ["Create the container, or check azblob://ACCOUNT/CONTAINER/BLOB (Nebari's stage 01 creates <project>-<namespace>-state)."]
      : statusOf(err) === 403 || statusOf(err) === 401
        ? ["Check the storage credentials: AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY, or `az login` with Storage Blob Data Contributor."]
        : [];
  return new NicError("STATE_BACKEND_ERROR", `${message}: ${code ?? "error"}: ${reason}`, { details: { http_status: statusOf(err), error: code, reason }, recovery, cause: err });
}
