// S3 (REST-XML): buckets and objects with conditional writes — `If-None-Match: *` fails with 412 when the
// key exists and `If-Match: <etag>` fails when it differs — which the state backends' <key>.tflock relies on.
import { AwsError } from "../protocols/errors.ts";
import { escapeXml, toXml } from "../protocols/query.ts";
import type { Resource, World } from "../world.ts";
import type { AwsRequest, AwsService, Operation } from "./service.ts";

export interface Bucket extends Resource {
  createdAt: string;
}
export interface S3Object extends Resource {
  bucket: string;
  key: string;
  /** Base64 of the bytes, so the world stays JSON. */
  data: string;
  etag: string;
  size: number;
  contentType: string;
  lastModified: string;
  metadata: Record<string, string>;
}

const BUCKET = "s3:bucket";
const OBJECT = "s3:object";
const xmlHeaders = { "content-type": "application/xml" };

function xml(root: string, body: unknown): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${toXml(body, "flat")}</${root}>`, { headers: xmlHeaders });
}

function s3Error(err: AwsError): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message><RequestId>${crypto.randomUUID()}</RequestId></Error>`;
  return new Response(body, { status: err.status, headers: { ...xmlHeaders, ...err.headers } });
}

/** Bodies the SDK streams arrive aws-chunked: "<hex size>[;ext]\r\n<data>\r\n" … "0\r\n<trailers>\r\n\r\n". */
function decodeChunked(raw: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos < raw.length) {
    let eol = pos;
    while (eol < raw.length - 1 && !(raw[eol] === 13 && raw[eol + 1] === 10)) eol++;
    const size = parseInt(new TextDecoder().decode(raw.subarray(pos, eol)).split(";")[0]!, 16);
    if (!size) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function payload(req: AwsRequest): Uint8Array {
  const sha = req.headers.get("x-amz-content-sha256") ?? "";
  const chunked = sha.startsWith("STREAMING-") || (req.headers.get("content-encoding") ?? "").includes("aws-chunked");
  return chunked ? decodeChunked(req.body) : req.body;
}

/** Path-style (/bucket/key) or virtual-hosted (bucket.host/key) addressing. */
function address(req: AwsRequest): { bucket?: string; key?: string } {
  const host = (req.headers.get("host") ?? "").split(":")[0]!;
  const path = req.url.pathname.slice(1);
  const virtual = host.endsWith(".localhost") || (host.split(".").length > 4 && !/^\d+\.\d+\.\d+\.\d+$/.test(host));
  const [bucket, ...rest] = virtual ? [host.slice(0, host.indexOf(".")), path] : path.split("/");
  const key = rest.join("/");
  return { bucket: bucket ? decodeURIComponent(bucket) : undefined, key: key ? decodeURIComponent(key) : undefined };
}

function bucketOf(world: World, name: string): Bucket {
  const b = world.table<Bucket>(BUCKET).get(name);
  if (!b) throw new AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
  return b;
}

const objectsIn = (world: World, bucket: string) => [...world.table<S3Object>(OBJECT).values()].filter((o) => o.bucket === bucket);
const unquote = (etag: string) => etag.replace(/^W\//, "").replace(/"/g, "");

function objectHeaders(o: S3Object): Record<string, string> {
  const meta = Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
  return { etag: `"${o.etag}"`, "content-type": o.contentType, "last-modified": new Date(o.lastModified).toUTCString(), "content-length": String(o.size), ...meta };
}

function preconditions(req: AwsRequest, existing: S3Object | undefined, write: boolean): void {
  const ifNoneMatch = req.headers.get("if-none-match");
  const ifMatch = req.headers.get("if-match");
  if (ifMatch !== null) {
    if (!existing) throw new AwsError("NoSuchKey", "The specified key does not exist.", 404);
    if (ifMatch !== "*" && unquote(ifMatch) !== existing.etag) throw new AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412);
  }
  if (ifNoneMatch !== null && existing && (ifNoneMatch === "*" || unquote(ifNoneMatch) === existing.etag)) {
    if (write) throw new AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412);
    throw new AwsError("NotModified", "Not Modified", 304);
  }
}

function bucketOperation(req: AwsRequest, name: string): Operation {
  const { world, url } = req;
  const q = url.searchParams;
  switch (req.method) {
    case "PUT":
      return {
        action: "CreateBucket",
        run() {
          if (world.table(BUCKET).has(name)) throw new AwsError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409);
          world.put<Bucket>({ type: BUCKET, id: name, name, tags: {}, createdAt: new Date().toISOString() });
          return new Response(null, { headers: { location: `/${name}` } });
        },
      };
    case "DELETE":
      return {
        action: "DeleteBucket",
        run() {
          bucketOf(world, name);
          if (objectsIn(world, name).length) throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
          world.remove(BUCKET, name);
          return new Response(null, { status: 204 });
        },
      };
    case "HEAD":
      return { action: "HeadBucket", run: () => (bucketOf(world, name), new Response(null, { headers: { "x-amz-bucket-region": world.region } })) };
    case "POST":
      if (q.has("delete")) return { action: "DeleteObjects", run: () => deleteObjects(req, name) };
      break;
    case "GET":
      if (q.has("location")) return { action: "GetBucketLocation", run: () => (bucketOf(world, name), xml("LocationConstraint", world.region)) };
      if (q.has("versioning")) return { action: "GetBucketVersioning", run: () => (bucketOf(world, name), xml("VersioningConfiguration", {})) };
      return { action: q.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects", run: () => listObjects(req, name) };
  }
  return { action: "Unknown", run: () => s3Error(new AwsError("NotImplemented", `${req.method} on a bucket is not implemented by the sandbox`, 501)) };
}

function listObjects(req: AwsRequest, bucket: string): Response {
  bucketOf(req.world, bucket);
  const q = req.url.searchParams;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const max = Number(q.get("max-keys") ?? 1000);
  const after = q.get("continuation-token") ?? q.get("start-after") ?? q.get("marker") ?? "";
  const all = objectsIn(req.world, bucket)
    .filter((o) => o.key.startsWith(prefix) && o.key > after)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const prefixes = new Set<string>();
  const contents: S3Object[] = [];
  for (const o of all) {
    const cut = delimiter ? o.key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) prefixes.add(o.key.slice(0, cut + delimiter.length));
    else contents.push(o);
  }
  const page = contents.slice(0, max);
  const truncated = contents.length > max;
  const last = page.at(-1)?.key;
  return xml("ListBucketResult", {
    Name: bucket,
    Prefix: prefix,
    KeyCount: page.length,
    MaxKeys: max,
    IsTruncated: truncated,
    NextContinuationToken: truncated ? last : undefined,
    NextMarker: truncated ? last : undefined,
    Contents: page.map((o) => ({ Key: o.key, LastModified: o.lastModified, ETag: `"${o.etag}"`, Size: o.size, StorageClass: "STANDARD" })),
    CommonPrefixes: [...prefixes].map((Prefix) => ({ Prefix })),
  });
}

async function deleteObjects(req: AwsRequest, bucket: string): Promise<Response> {
  bucketOf(req.world, bucket);
  const body = new TextDecoder().decode(payload(req));
  const keys = [...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
  for (const key of keys) req.world.remove(OBJECT, `${bucket}/${key}`);
  return xml("DeleteResult", { Deleted: keys.map((Key) => ({ Key })) });
}

function objectOperation(req: AwsRequest, bucket: string, key: string): Operation {
  const { world } = req;
  const id = `${bucket}/${key}`;
  const existing = () => world.table<S3Object>(OBJECT).get(id);
  switch (req.method) {
    case "PUT":
      return {
        action: req.headers.has("x-amz-copy-source") ? "CopyObject" : "PutObject",
        run() {
          bucketOf(world, bucket);
          preconditions(req, existing(), true);
          const bytes = payload(req);
          const etag = new Bun.CryptoHasher("md5").update(bytes).digest("hex");
          const metadata: Record<string, string> = {};
          for (const [k, v] of req.headers) if (k.startsWith("x-amz-meta-")) metadata[k.slice(11)] = v;
          world.put<S3Object>({
            type: OBJECT,
            id,
            name: key,
            tags: {},
            bucket,
            key,
            data: Buffer.from(bytes).toString("base64"),
            etag,
            size: bytes.length,
            contentType: req.headers.get("content-type") ?? "binary/octet-stream",
            lastModified: new Date().toISOString(),
            metadata,
          });
          return new Response(null, { headers: { etag: `"${etag}"` } });
        },
      };
    case "GET":
    case "HEAD":
      return {
        action: req.method === "GET" ? "GetObject" : "HeadObject",
        run() {
          bucketOf(world, bucket);
          const o = existing();
          if (!o) {
            if (req.method === "HEAD") return new Response(null, { status: 404 });
            throw new AwsError("NoSuchKey", "The specified key does not exist.", 404);
          }
          preconditions(req, o, false);
          return new Response(req.method === "GET" ? Buffer.from(o.data, "base64") : null, { headers: objectHeaders(o) });
        },
      };
    case "DELETE":
      return {
        action: "DeleteObject",
        run() {
          bucketOf(world, bucket);
          const o = existing();
          if (req.headers.has("if-match")) preconditions(req, o, true);
          if (o) world.remove(OBJECT, id);
          return new Response(null, { status: 204 });
        },
      };
  }
  return { action: "Unknown", run: () => s3Error(new AwsError("NotImplemented", `${req.method} on an object is not implemented by the sandbox`, 501)) };
}

export const s3Module: AwsService = {
  signingName: "s3",
  envName: "S3",
  throttleCode: "SlowDown",
  resolve(req) {
    const { bucket, key } = address(req);
    if (!bucket) {
      return {
        action: "ListBuckets",
        run: () =>
          xml("ListAllMyBucketsResult", {
            Owner: { ID: req.world.account, DisplayName: "sandbox" },
            Buckets: { Bucket: [...req.world.table<Bucket>(BUCKET).values()].map((b) => ({ Name: b.id, CreationDate: b.createdAt })) },
          }),
      };
    }
    return key === undefined ? bucketOperation(req, bucket) : objectOperation(req, bucket, key);
  },
  error(err) {
    // HEAD responses and 304 carry no body.
    return err.status === 304 ? new Response(null, { status: 304 }) : s3Error(err);
  },
};
