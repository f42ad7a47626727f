// Client-token idempotency, as AWS documents it for EC2's ClientToken and EKS's clientRequestToken: a create retried
// with the same token and the same parameters answers with what the first call made and makes nothing more; the same
// token with other parameters is refused. (EFS's CreationToken is its own rule: FileSystemAlreadyExists, in efs.ts.)
import { AwsError } from "../protocols/errors.ts";
import type { Resource, World } from "../world.ts";

export interface Tokened {
  clientToken?: string;
  /** The parameters the token was first sent with (tokenless, keys sorted). */
  clientParams?: string;
}

const NOT_PARAMETERS = new Set(["ClientToken", "clientRequestToken", "Action", "Version"]);

function fingerprint(params: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(params).filter((k) => !NOT_PARAMETERS.has(k)).sort().map((k) => [k, params[k]]));
}

/**
 * What an earlier call with this token made, when there is one; throws `mismatchCode` when that call's parameters differ
 * (path parameters, such as a node group's cluster, belong in `params` too).
 */
export function replayed<R extends Resource & Tokened>(world: World, type: string, token: unknown, params: Record<string, unknown>, mismatchCode: string): R | undefined {
  if (!token) return undefined;
  const made = [...world.table<R>(type).values()].find((r) => r.clientToken === String(token));
  if (made && made.clientParams !== fingerprint(params)) throw new AwsError(mismatchCode, `The client token ${String(token)} was already used with different parameters`);
  return made;
}

/** The fields a created record keeps so that a retry with its token is answered by replayed(). */
export function tokened(token: unknown, params: Record<string, unknown>): Tokened {
  return token ? { clientToken: String(token), clientParams: fingerprint(params) } : {};
}
