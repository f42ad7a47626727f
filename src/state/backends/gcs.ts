// State in Google Cloud Storage through the JSON API. The lock is the object `<object>.tflock`, created with
// ifGenerationMatch=0 (only if absent); its generation is the lock id, and unlock deletes exactly that generation.
// STORAGE_EMULATOR_HOST points at an emulator (no credentials then), as the official clients do.
import { deadlines } from "../../net/deadlines.ts";
import { NicError } from "../../cli/errors.ts";
import type { StateBackend } from "../backend.ts";
import { lockedError, lockStolen, requireLockId, unlabelledLock, type LockHandle, type LockInfo } from "../lock.ts";

interface GcsOptions {
  location: string;
  bucket: string;
  object: string;
  env: Record<string, string | undefined>;
}

const SCOPE = "https://www.googleapis.com/auth/devstorage.read_write";

export class GcsBackend implements StateBackend {
  readonly location: string;
  private readonly endpoint: string;
  private readonly lockObject: string;
  private readonly emulated: boolean;
  private token?: () => Promise<string>;

  constructor(private readonly opts: GcsOptions) {
    this.location = opts.location;
    this.lockObject = `${opts.object}.tflock`;
    const emulator = opts.env.STORAGE_EMULATOR_HOST;
    this.emulated = Boolean(emulator);
    this.endpoint = emulator ? (/^https?:\/\//.test(emulator) ? emulator : `http://${emulator}`).replace(/\/$/, "") : "https://storage.googleapis.com";
  }

  async readText(): Promise<string | undefined> {
    const res = await this.request("GET", this.objectUrl(this.opts.object, { alt: "media" }));
    if (res.status === 404) return undefined;
    if (!res.ok) throw await gcsError(`Cannot read ${this.location}`, res);
    return res.text();
  }

  async writeText(text: string, _lock: LockHandle): Promise<void> {
    const res = await this.request("POST", this.uploadUrl(this.opts.object, {}), text);
    if (!res.ok) throw await gcsError(`Cannot write ${this.location}`, res);
  }

  async lock(info: LockInfo): Promise<LockHandle> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await this.request("POST", this.uploadUrl(this.lockObject, { ifGenerationMatch: "0" }), JSON.stringify(info));
      if (res.ok) {
        const generation = String(((await res.json()) as { generation: string | number }).generation);
        const taken = { ...info, id: generation };
        return { id: generation, info: taken };
      }
      if (res.status !== 412) throw await gcsError(`Cannot create the lock object gs://${this.opts.bucket}/${this.lockObject}`, res);
      const holder = await this.describeLock();
      if (holder) throw lockedError(holder, this.location);
    }
    throw new NicError("STATE_BACKEND_ERROR", `The lock on ${this.location} keeps appearing and vanishing`, { details: { location: this.location } });
  }

  async unlock(handle: LockHandle): Promise<void> {
    const res = await this.deleteLock(handle.id);
    if (res.ok || res.status === 404) return;
    if (res.status === 412) {
      const current = await this.describeLock();
      if (current) throw lockStolen(this.location, current);
      return;
    }
    throw await gcsError(`Cannot delete the lock object gs://${this.opts.bucket}/${this.lockObject}`, res);
  }

  async forceUnlock(id: string): Promise<LockInfo> {
    const current = requireLockId(await this.describeLock(), id, this.location);
    const res = await this.deleteLock(id);
    if (res.ok || res.status === 404) return current;
    if (res.status === 412) return requireLockId(await this.describeLock(), id, this.location);
    throw await gcsError(`Cannot delete the lock object gs://${this.opts.bucket}/${this.lockObject}`, res);
  }

  async describeLock(): Promise<LockInfo | undefined> {
    const res = await this.request("GET", this.objectUrl(this.lockObject, { alt: "media" }));
    if (res.status === 404) return undefined;
    if (!res.ok) throw await gcsError(`Cannot read the lock object gs://${this.opts.bucket}/${this.lockObject}`, res);
    const generation = res.headers.get("x-goog-generation");
    const text = await res.text();
    let info: LockInfo;
    try {
      info = JSON.parse(text) as LockInfo;
    } catch {
      info = unlabelledLock(this.location);
    }
    // The id written inside the object predates its generation; the generation is the real id.
    return generation ? { ...info, id: generation } : info;
  }

  private deleteLock(generation: string): Promise<Response> {
    return this.request("DELETE", this.objectUrl(this.lockObject, { ifGenerationMatch: generation }));
  }

  private objectUrl(object: string, query: Record<string, string>): string {
    return `${this.endpoint}/storage/v1/b/${encodeURIComponent(this.opts.bucket)}/o/${encodeURIComponent(object)}?${new URLSearchParams(query)}`;
  }

  private uploadUrl(object: string, query: Record<string, string>): string {
    return `${this.endpoint}/upload/storage/v1/b/${encodeURIComponent(this.opts.bucket)}/o?${new URLSearchParams({ uploadType: "media", name: object, ...query })}`;
  }

  private async request(method: string, url: string, body?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (!this.emulated) headers.authorization = `Bearer ${await this.accessToken()}`;
    try {
      return await fetch(url, { method, headers, body, signal: AbortSignal.timeout(deadlines().requestMs) });
    } catch (err) {
      throw new NicError("STATE_BACKEND_ERROR", `Cannot reach Cloud Storage at ${this.endpoint}: ${(err as Error).message}`, { details: { endpoint: this.endpoint }, cause: err });
    }
  }

  private async accessToken(): Promise<string> {
    if (!this.token) {
      const { GoogleAuth } = await import("google-auth-library");
      const auth = new GoogleAuth({ scopes: [SCOPE] });
      this.token = async () => {
        const token = await auth.getAccessToken();
        if (!token) throw new Error("no access token");
        return token;
      };
    }
    try {
      return await this.token();
    } catch (err) {
      throw new NicError("STATE_BACKEND_ERROR", `No Google Cloud credentials for ${this.location}: ${(err as Error).message}`, {
        details: { location: this.location },
        recovery: ["Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file."],
        cause: err,
      });
    }
  }
}

async function gcsError(message: string, res: Response): Promise<NicError> {
  const body = await res.text().catch(() => "");
  let reason = body.slice(0, 300);
  try {
    reason = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? reason;
  } catch {
    // not JSON: keep the text
  }
  const recovery = res.status === 401 || res.status === 403 ? ["Check that the credentials may read and write objects in the bucket (roles/storage.objectAdmin)."] : [];
  return new NicError("STATE_BACKEND_ERROR", `${message}: HTTP ${res.status} ${reason}`, { details: { http_status: res.status, reason }, recovery });
}
