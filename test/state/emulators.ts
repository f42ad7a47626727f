// Real emulators for the state backends, started on free ports by the tests (and by bench/soak-state.ts): the sandbox's S3
// (it honours If-None-Match and reads its own writes), dynalite for DynamoDB locks, azurite for Blob leases (a node child
// process), and the sandbox's Cloud Storage module served with Bun.serve. Each case yields a fresh location and its environment.
// s3rver is not used: it ignores If-None-Match, and it acknowledges a PUT before the object is on disk, so a reader that comes
// right after can see an empty object (the soak caught this as a stale read under the lock).
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BlobServiceClient } from "@azure/storage-blob";
import dynalite from "dynalite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGcsEmulator } from "../../sandbox/gcs.ts";
import { startSandbox } from "../../sandbox/index.ts";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";

export interface BackendCase {
  name: string;
  /** A fresh, empty state location on this backend. */
  newLocation(): Promise<string>;
  /** The environment a NIC process needs to reach the emulator. */
  env: Record<string, string>;
}

export interface Emulators {
  cases: BackendCase[];
  stop(): Promise<void>;
}

const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function startEmulators(): Promise<Emulators> {
  const stops: (() => Promise<void> | void)[] = [];
  const scratch = mkdtempSync(join(tmpdir(), "nic-state-"));
  stops.push(() => rmSync(scratch, { recursive: true, force: true }));
  try {
    const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((resolve) => dynamo.listen(0, "127.0.0.1", () => resolve()));
    stops.push(() => new Promise<void>((resolve) => dynamo.close(() => resolve())));
    const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as { port: number }).port}`;
    await new DynamoDBClient({ region: "us-west-2", endpoint: dynamoEndpoint, credentials: { accessKeyId: "x", secretAccessKey: "y" } }).send(
      new CreateTableCommand({
        TableName: "nic-state-lock",
        KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );

    const gcs = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: createGcsEmulator({ autoCreateBuckets: true }).fetch });
    stops.push(() => gcs.stop(true));

    const azurite = await startAzurite();
    stops.push(azurite.stop);
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("nic-state").create();

    const sandbox = await startSandbox();
    stops.push(() => sandbox.stop());
    await new S3Client({ region: sandbox.env.AWS_REGION, endpoint: sandbox.awsEndpoint, forcePathStyle: true, credentials: { accessKeyId: sandbox.env.AWS_ACCESS_KEY_ID!, secretAccessKey: sandbox.env.AWS_SECRET_ACCESS_KEY! } }).send(
      new CreateBucketCommand({ Bucket: "nic-state" }),
    );

    const emulators: Emulators = {
      cases: [
        { name: "local", env: {}, newLocation: async () => join(scratch, unique("local"), "nic-state.json") },
        {
          name: "s3+dynamodb",
          env: { ...sandbox.env, AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint },
          newLocation: async () => `s3://nic-state/${unique("s3")}/nic-state.json?lock_table=nic-state-lock`,
        },
        { name: "s3-lockfile", env: sandbox.env, newLocation: async () => `s3://nic-state/${unique("s3")}/nic-state.json` },
        { name: "gcs", env: { STORAGE_EMULATOR_HOST: `http://127.0.0.1:${gcs.port}` }, newLocation: async () => `gs://nic-state/${unique("gcs")}/nic-state.json` },
        { name: "azblob", env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString }, newLocation: async () => `azblob://devstoreaccount1/nic-state/${unique("az")}/nic-state.json` },
      ],
      async stop() {
        for (const stop of stops.reverse()) await stop();
      },
    };
    return emulators;
  } catch (err) {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
    throw err;
  }
}

/** azurite under node (as CI runs it), in memory, without telemetry, on a port it picks and prints. */
export async function startAzurite(): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  const child = Bun.spawn(["node", "node_modules/azurite/dist/src/blob/main.js", "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck"], {
    cwd: join(import.meta.dir, "../.."),
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  let seen = "";
  const deadline = Date.now() + 30_000;
  while (!/listens on http:\/\/127\.0\.0\.1:(\d+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done || Date.now() > deadline) {
      child.kill();
      throw new Error(`azurite did not start: ${seen}${await new Response(child.stderr).text()}`);
    }
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  void child.stdout.pipeTo(new WritableStream()); // keep draining so azurite never blocks on a full pipe
  const port = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen)![1];
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
  return {
    connectionString,
    stop: async () => {
      child.kill();
      await child.exited;
    },
  };
}

