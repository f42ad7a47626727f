// aws/efs_mount_target: one per subnet, in the cluster security group. Found through the tracked file system
// (one call for all); its security groups are read only when adopting (they cost a call per mount target).
import type * as EFS from "@aws-sdk/client-efs";
import type { Actual, ResourceKind } from "../../../engine/types.ts";
import type { AwsClients } from "../clients.ts";
import { errorCode, ignoreNotFound, orNotFound } from "../errors.ts";
import { poll } from "../poll.ts";

const TIMEOUT_MS = 10 * 60_000;

export function efsMountTargetKind(aws: AwsClients): ResourceKind {
  const toActual = (mt: EFS.MountTargetDescription, securityGroups: unknown): Actual => ({
    id: mt.MountTargetId!,
    attributes: { file_system_id: mt.FileSystemId, subnet_id: mt.SubnetId, security_groups: securityGroups, state: mt.LifeCycleState, ip_address: mt.IpAddress },
  });
  async function securityGroups(id: string, signal: AbortSignal) {
    const { sdk, client } = await aws.efs();
    const r = await client.send(new sdk.DescribeMountTargetSecurityGroupsCommand({ MountTargetId: id }), { abortSignal: signal });
    return [...(r.SecurityGroups ?? [])].sort();
  }
  async function byId(id: string, signal: AbortSignal) {
    const { sdk, client } = await aws.efs();
    const r = await orNotFound(() => client.send(new sdk.DescribeMountTargetsCommand({ MountTargetId: id }), { abortSignal: signal }));
    return r?.MountTargets?.[0];
  }
  return {
    kind: "aws/efs_mount_target",
    createsOnce: true, // see engine/types.ts
    timeoutMs: TIMEOUT_MS,
    async observe(batch, { signal }) {
      const { sdk, client } = await aws.efs();
      const out = new Map<string, Actual>();
      const tracked = batch.filter((l) => l.tracked);
      for (const fsId of new Set(tracked.map((l) => String(l.tracked!.attributes.file_system_id)))) {
        const r = await orNotFound(() => client.send(new sdk.DescribeMountTargetsCommand({ FileSystemId: fsId }), { abortSignal: signal }));
        for (const l of tracked) {
          const mt = r?.MountTargets?.find((m) => m.MountTargetId === l.tracked!.id && m.LifeCycleState !== "deleted");
          if (mt) out.set(l.address, toActual(mt, l.tracked!.attributes.security_groups));
        }
      }
      return out;
    },
    async create(resource, { signal }) {
      const { sdk, client } = await aws.efs();
      const a = resource.attributes as { file_system_id: string; subnet_id: string; security_groups: string[] };
      try {
        const mt = await client.send(new sdk.CreateMountTargetCommand({ FileSystemId: a.file_system_id, SubnetId: a.subnet_id, SecurityGroups: a.security_groups }), { abortSignal: signal });
        return toActual(mt, [...a.security_groups].sort());
      } catch (err) {
        // The mount target already exists (a lost state, a lost response): adopt it.
        if (errorCode(err) !== "MountTargetConflict") throw err;
        const r = await client.send(new sdk.DescribeMountTargetsCommand({ FileSystemId: a.file_system_id }), { abortSignal: signal });
        const mt = r.MountTargets?.find((m) => m.SubnetId === a.subnet_id);
        if (!mt) throw err;
        return toActual(mt, await securityGroups(mt.MountTargetId!, signal));
      }
    },
    async update(resource, actual, _changes, { signal }) {
      const { sdk, client } = await aws.efs();
      const groups = resource.attributes.security_groups as string[];
      await client.send(new sdk.ModifyMountTargetSecurityGroupsCommand({ MountTargetId: actual.id, SecurityGroups: groups }), { abortSignal: signal });
      return { ...actual, attributes: { ...actual.attributes, security_groups: [...groups].sort() } };
    },
    async delete(actual, { signal }) {
      const { sdk, client } = await aws.efs();
      await ignoreNotFound(() => client.send(new sdk.DeleteMountTargetCommand({ MountTargetId: actual.id }), { abortSignal: signal }));
    },
    async wait(actual, operation, { signal }) {
      if (operation === "delete") {
        await poll(`mount target ${actual.id} deletion`, async () => ((await byId(actual.id, signal)) ? undefined : actual), signal, TIMEOUT_MS);
        return actual;
      }
      return poll(`mount target ${actual.id}`, async () => {
        const mt = await byId(actual.id, signal);
        if (!mt || mt.LifeCycleState === "error") throw new Error(`mount target ${actual.id} failed`);
        return mt.LifeCycleState === "available" ? toActual(mt, actual.attributes.security_groups) : undefined;
      }, signal, TIMEOUT_MS);
    },
  };
}
