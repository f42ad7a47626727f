// A Cloud Storage JSON-API emulator: buckets, objects with generations and metagenerations, the ifGeneration*/
// ifMetageneration* preconditions, media and multipart uploads, media downloads, listing and deletes.
// Mount `fetch` on any server (Bun.serve({ fetch: gcs.fetch })) and point clients at it with STORAGE_EMULATOR_HOST.

interface StoredObject {
  name: string;
  bucket: string;
  generation: number;
  metageneration: number;
  contentType: string;
  data: Uint8Array;
  metadata: Record<string, string>;
  timeCreated: string;
  updated: string;
}

interface Bucket {
  name: string;
  timeCreated: string;
  objects: Map<string, StoredObject>;
}

class GcsError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GcsEmulator {
  fetch(request: Request): Promise<Response>;
  /** Test hook: the live objects of a bucket, by name. */
  objects(bucket: string): StoredObject[];
}

export function createGcsEmulator(opts: { autoCreateBuckets?: boolean } = {}): GcsEmulator {
  const buckets = new Map<string, Bucket>();
  let lastGeneration = 0;
  // Real generations are microsecond timestamps; they only ever grow.
  const nextGeneration = () => (lastGeneration = Math.max(lastGeneration + 1, Date.now() * 1000));

  const bucketNamed = (name: string, create = false): Bucket => {
    let bucket = buckets.get(name);
    if (!bucket && (create || opts.autoCreateBuckets)) buckets.set(name, (bucket = { name, timeCreated: new Date().toISOString(), objects: new Map() }));
    if (!bucket) throw new GcsError(404, "notFound", `The specified bucket does not exist: ${name}`);
    return bucket;
  };

  async function route(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const q = url.searchParams;
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const [root, ...rest] = parts[0] === "upload" || parts[0] === "download" ? [parts[0], ...parts.slice(1)] : ["api", ...parts];
    if (rest[0] !== "storage" || rest[1] !== "v1" || rest[2] !== "b") throw new GcsError(404, "notFound", `Unknown path ${url.pathname}`);
    const [bucketName, o, ...objectParts] = rest.slice(3);
    const objectName = objectParts.join("/");

    if (root === "upload") {
      if (req.method !== "POST" || !bucketName || o !== "o") throw new GcsError(400, "invalid", "Uploads are POST /upload/storage/v1/b/BUCKET/o");
      return json(objectResource(await insert(bucketNamed(bucketName), req, q)));
    }
    if (!bucketName) {
      if (req.method === "POST") {
        const body = (await req.json()) as { name?: string };
        if (!body.name) throw new GcsError(400, "required", "Bucket name is required");
        if (buckets.has(body.name)) throw new GcsError(409, "conflict", `Bucket ${body.name} already exists`);
        return json(bucketResource(bucketNamed(body.name, true)));
      }
      if (req.method === "GET") return json({ kind: "storage#buckets", items: [...buckets.values()].map(bucketResource) });
    }
    const bucket = bucketNamed(bucketName!);
    if (o === undefined) {
      if (req.method === "GET") return json(bucketResource(bucket));
      if (req.method === "DELETE") {
        if (bucket.objects.size) throw new GcsError(409, "conflict", "The bucket you tried to delete is not empty");
        buckets.delete(bucket.name);
        return new Response(null, { status: 204 });
      }
    }
    if (o !== "o") throw new GcsError(404, "notFound", `Unknown path ${url.pathname}`);
    if (!objectName) {
      if (req.method !== "GET") throw new GcsError(405, "invalid", "Objects are listed with GET");
      const prefix = q.get("prefix") ?? "";
      const items = [...bucket.objects.values()].filter((x) => x.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
      return json({ kind: "storage#objects", items: items.map(objectResource) });
    }

    const current = bucket.objects.get(objectName);
    const live = () => {
      if (!current || (q.has("generation") && q.get("generation") !== String(current.generation))) throw new GcsError(404, "notFound", `No such object: ${bucket.name}/${objectName}`);
      checkPreconditions(current, q);
      return current;
    };
    switch (req.method) {
      case "GET": {
        const object = live();
        if (q.get("alt") === "media" || root === "download") {
          return new Response(object.data, {
            headers: {
              "content-type": object.contentType,
              "x-goog-generation": String(object.generation),
              "x-goog-metageneration": String(object.metageneration),
              "x-goog-hash": `md5=${md5(object.data)}`,
            },
          });
        }
        return json(objectResource(object));
      }
      case "PATCH": {
        const object = live();
        const body = (await req.json()) as { metadata?: Record<string, string | null>; contentType?: string };
        for (const [key, value] of Object.entries(body.metadata ?? {})) value === null ? delete object.metadata[key] : (object.metadata[key] = value);
        if (body.contentType) object.contentType = body.contentType;
        object.metageneration++;
        object.updated = new Date().toISOString();
        return json(objectResource(object));
      }
      case "DELETE":
        live();
        bucket.objects.delete(objectName);
        return new Response(null, { status: 204 });
      default:
        throw new GcsError(405, "invalid", `Method ${req.method} is not supported on objects`);
    }
  }

  async function insert(bucket: Bucket, req: Request, q: URLSearchParams): Promise<StoredObject> {
    const uploadType = q.get("uploadType") ?? "media";
    let name = q.get("name") ?? "";
    let metadata: Record<string, string> = {};
    let contentType = req.headers.get("content-type") ?? "application/octet-stream";
    let data: Uint8Array;
    if (uploadType === "media") {
      data = new Uint8Array(await req.arrayBuffer());
    } else if (uploadType === "multipart") {
      const [meta, media] = parseMultipart(contentType, new Uint8Array(await req.arrayBuffer()));
      const resource = JSON.parse(new TextDecoder().decode(meta.body)) as { name?: string; metadata?: Record<string, string>; contentType?: string };
      name = resource.name ?? name;
      metadata = resource.metadata ?? {};
      contentType = resource.contentType ?? media.contentType ?? "application/octet-stream";
      data = media.body;
    } else {
      throw new GcsError(400, "invalid", `uploadType=${uploadType} is not supported by this emulator (use media or multipart)`);
    }
    if (!name) throw new GcsError(400, "required", "Object name is required");
    checkPreconditions(bucket.objects.get(name), q);
    const now = new Date().toISOString();
    const previous = bucket.objects.get(name);
    const object: StoredObject = { name, bucket: bucket.name, generation: nextGeneration(), metageneration: 1, contentType, data, metadata, timeCreated: previous?.timeCreated ?? now, updated: now };
    bucket.objects.set(name, object);
    return object;
  }

  return {
    async fetch(request) {
      try {
        return await route(request);
      } catch (err) {
        if (err instanceof GcsError) return json({ error: { code: err.status, message: err.message, errors: [{ message: err.message, domain: "global", reason: err.reason }] } }, err.status);
        return json({ error: { code: 500, message: String(err) } }, 500);
      }
    },
    objects: (bucket) => [...(buckets.get(bucket)?.objects.values() ?? [])],
  };
}

/** ifGenerationMatch=0 means "only if absent"; a missing object fails every other match precondition. */
function checkPreconditions(object: StoredObject | undefined, q: URLSearchParams): void {
  const number = (key: string) => {
    const raw = q.get(key);
    if (raw === null) return undefined;
    if (!/^\d+$/.test(raw)) throw new GcsError(400, "invalid", `Invalid value for ${key}: ${raw}`);
    return Number(raw);
  };
  const generation = object?.generation ?? 0;
  const failed = (what: string) => new GcsError(412, "conditionNotMet", `At least one of the pre-conditions you specified did not hold (${what})`);
  const ifGenerationMatch = number("ifGenerationMatch");
  if (ifGenerationMatch !== undefined && ifGenerationMatch !== generation) throw failed("ifGenerationMatch");
  const ifGenerationNotMatch = number("ifGenerationNotMatch");
  if (ifGenerationNotMatch !== undefined && ifGenerationNotMatch === generation) throw failed("ifGenerationNotMatch");
  const ifMetagenerationMatch = number("ifMetagenerationMatch");
  if (ifMetagenerationMatch !== undefined && (!object || ifMetagenerationMatch !== object.metageneration)) throw failed("ifMetagenerationMatch");
  const ifMetagenerationNotMatch = number("ifMetagenerationNotMatch");
  if (ifMetagenerationNotMatch !== undefined && object && ifMetagenerationNotMatch === object.metageneration) throw failed("ifMetagenerationNotMatch");
}

interface Part {
  contentType?: string;
  body: Uint8Array;
}

/** multipart/related as the Google clients send it: a JSON resource part, then the media part. */
function parseMultipart(contentType: string, body: Uint8Array): [Part, Part] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new GcsError(400, "invalid", "multipart upload without a boundary");
  const text = Buffer.from(body).toString("latin1");
  const parts = text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk): Part => {
      const split = chunk.indexOf("\r\n\r\n");
      const headers = chunk.slice(0, split);
      const content = chunk.slice(split + 4).replace(/\r\n$/, "");
      return { contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1], body: new Uint8Array(Buffer.from(content, "latin1")) };
    });
  if (parts.length !== 2) throw new GcsError(400, "invalid", `multipart upload needs 2 parts, got ${parts.length}`);
  return [parts[0]!, parts[1]!];
}

function objectResource(o: StoredObject) {
  return {
    kind: "storage#object",
    id: `${o.bucket}/${o.name}/${o.generation}`,
    selfLink: `/storage/v1/b/${encodeURIComponent(o.bucket)}/o/${encodeURIComponent(o.name)}`,
    name: o.name,
    bucket: o.bucket,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    size: String(o.data.byteLength),
    md5Hash: md5(o.data),
    metadata: o.metadata,
    timeCreated: o.timeCreated,
    updated: o.updated,
  };
}

function bucketResource(b: Bucket) {
  return { kind: "storage#bucket", id: b.name, name: b.name, timeCreated: b.timeCreated };
}

function md5(data: Uint8Array): string {
  return new Bun.CryptoHasher("md5").update(data).digest("base64");
}

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}
