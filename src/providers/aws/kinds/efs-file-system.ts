// aws/efs_file_system: the shared JupyterHub file system, created with Nebari's creation token (idempotent by design).
import type * as EFS from "@aws-sdk/client-efs";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { poll } from "../poll.ts";
import { partitionOf } from "../partition.ts";
import { tagChanges, tagList, tagMap } from "../tags.ts";

const TIMEOUT_MS = 10 * 60_000;

export function efsFileSystemKind(aws: AwsClients): ResourceKind {
  const toActual = (fs: EFS.FileSystemDescription): Actual => ({
    id: fs.FileSystemId!,
    arn: fs.FileSystemArn,
    attributes: {
      creation_token: fs.CreationToken,
      encrypted: fs.Encrypted ?? false,
      performance_mode: fs.PerformanceMode,
      throughput_mode: fs.ThroughputMode,
      tags: tagMap(fs.Tags),
      state: fs.LifeCycleState,
      dns_name: `${fs.FileSystemId}.efs.${aws.region}.${partitionOf(aws.region).dnsSuffix}`,
    },
  });
  async function describe(input: EFS.DescribeFileSystemsRequest, signal: AbortSignal) {
    const { sdk, client } = await aws.efs();
    const r = await orNotFound(() => client.send(new sdk.DescribeFileSystemsCommand(input), { abortSignal: signal }));
    const fs = r?.FileSystems?.[0];
    return fs && fs.LifeCycleState !== "deleted" ? toActual(fs) : undefined;
  }
  const untilAvailable = (id: string, signal: AbortSignal) =>
    poll(`EFS ${id}`, async () => {
      const now = await describe({ FileSystemId: id }, signal);
      if (!now || now.attributes.state === "error") throw new Error(`EFS ${id} failed to become available`);
      return now.attributes.state === "available" ? now : undefined;
    }, signal, TIMEOUT_MS);
  return {
    kind: "aws/efs_file_system",
    createsOnce: true, // see engine/types.ts
    timeoutMs: TIMEOUT_MS,
    async observe(batch, { signal }) {
      const out = new Map<string, Actual>();
      await Promise.all(
        batch.map(async (l) => {
          const token = l.desired?.attributes.creation_token ?? l.tracked?.attributes.creation_token;
          const found = (l.tracked && (await describe({ FileSystemId: l.tracked.id }, signal))) || (token ? await describe({ CreationToken: String(token) }, signal) : undefined);
          if (found) out.set(l.address, found.attributes.state === "deleting" ? { ...found, deleting: true } : found);
        }),
      );
      return out;
    },
    async create(resource, { signal }) {
      const { sdk, client } = await aws.efs();
      const a = resource.attributes;
      try {
        const fs = await client.send(
          new sdk.CreateFileSystemCommand({ CreationToken: String(a.creation_token), Encrypted: Boolean(a.encrypted), PerformanceMode: a.performance_mode as any, ThroughputMode: a.throughput_mode as any, Tags: tagList(a.tags as any) }),
          { abortSignal: signal },
        );
        return toActual(fs);
      } catch (err) {
        if (errorCode(err) === "FileSystemAlreadyExists") return (await describe({ CreationToken: String(a.creation_token) }, signal))!;
        throw err;
      }
    },
    async update(resource, actual, _changes, { signal }) {
      const { sdk, client } = await aws.efs();
      const a = resource.attributes;
      // Found still creating (a killed run): wait before changing it.
      const settled = actual.attributes.state === "available" ? actual : await untilAvailable(actual.id, signal);
      if (a.throughput_mode !== settled.attributes.throughput_mode)
        await client.send(new sdk.UpdateFileSystemCommand({ FileSystemId: actual.id, ThroughputMode: a.throughput_mode as any }), { abortSignal: signal });
      const { set, remove } = tagChanges(settled.attributes.tags, a.tags);
      if (remove.length) await client.send(new sdk.UntagResourceCommand({ ResourceId: actual.id, TagKeys: remove }), { abortSignal: signal });
      if (Object.keys(set).length) await client.send(new sdk.TagResourceCommand({ ResourceId: actual.id, Tags: tagList(set) }), { abortSignal: signal });
      return { ...settled, attributes: { ...settled.attributes, throughput_mode: a.throughput_mode, tags: a.tags } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.efs();
      await ignoreNotFound(() => client.send(new sdk.DeleteFileSystemCommand({ FileSystemId: actual.id }), { abortSignal: signal }));
    },
    async wait(actual, operation, { signal }) {
      if (operation === "delete") {
        await poll(`EFS ${actual.id} deletion`, async () => ((await describe({ FileSystemId: actual.id }, signal)) ? undefined : actual), signal, TIMEOUT_MS);
        return actual;
      }
      return untilAvailable(actual.id, signal);
    },
  };
}
