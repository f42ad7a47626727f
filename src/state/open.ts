// Choosing the state backend: --state, else the stage-01 storage Nebari already has (terraform_state.type: remote),
// else the local file beside the config. Backends are imported only when chosen, so `nic --help` loads no SDK.
import { dirname, isAbsolute, join, resolve } from "node:path";
import { NicError } from "../cli/errors.ts";
import type { StateBackend } from "./backend.ts";

/** Where the state lives, relative to the folder holding nebari-config.yaml (design document §6.1). */
export const DEFAULT_STATE_PATH = ".nebari/stages/02-infrastructure/nic-state.json";

export interface StateLocationInputs {
  provider: string;
  /** The UNescaped project_name: stage 01 names its storage from it (nebari-stages.md §5). */
  projectName: string;
  namespace: string;
  region: string;
  terraformStateType: "remote" | "local" | "existing";
  azure?: { resourceGroupName?: string | null; storageAccountPostfix: string };
}

/**
 * The state location NIC uses when --state is not given. For remote state it is the stage-01 bucket/container under a
 * NIC-specific key, `nic/<project>-<namespace>/02-infrastructure/nic-state.json`, beside Terraform's own `terraform/…` keys.
 * Returns undefined for local state (and for local/existing providers, whose stage 02 state was always a local file).
 */
export function defaultStateLocation(inputs: StateLocationInputs): string | undefined {
  if (inputs.terraformStateType !== "remote") return undefined;
  const base = `${inputs.projectName}-${inputs.namespace}`;
  const key = `nic/${base}/02-infrastructure/nic-state.json`;
  switch (inputs.provider) {
    case "aws":
      return `s3://${base}-terraform-state/${key}?lock_table=${base}-terraform-state-lock&region=${inputs.region}`;
    case "gcp":
      return `gs://${base}-terraform-state/${key}`;
    case "azure": {
      if (!inputs.azure) return undefined;
      const account = `${base}${inputs.azure.storageAccountPostfix}`.replaceAll("-", "");
      return `azblob://${account}/${base}-state/${key}`;
    }
    default:
      return undefined;
  }
}

/** --state if given; else the remote default when the config asks for remote state; else the local file beside the config. */
export function resolveStateLocation(opts: { flag?: string; configPath: string; cwd: string; inputs?: StateLocationInputs }): string {
  if (opts.flag) return isRemote(opts.flag) ? opts.flag : resolve(opts.cwd, opts.flag);
  const remote = opts.inputs && defaultStateLocation(opts.inputs);
  if (remote) return remote;
  const configFolder = dirname(isAbsolute(opts.configPath) ? opts.configPath : join(opts.cwd, opts.configPath));
  return join(configFolder, DEFAULT_STATE_PATH);
}

const REMOTE = /^([a-z][a-z0-9+.-]*):\/\//i;

function isRemote(location: string): boolean {
  return REMOTE.test(location);
}

/** Opens the backend for a location. Credentials and endpoints come from each cloud's standard environment. */
export async function openBackend(location: string, env: Record<string, string | undefined> = process.env): Promise<StateBackend> {
  const scheme = REMOTE.exec(location)?.[1]?.toLowerCase();
  if (!scheme) {
    const { LocalBackend } = await import("./backends/local.ts");
    return new LocalBackend(location);
  }
  const url = parseUrl(location);
  const bucket = url.hostname;
  const key = decodeURIComponent(url.pathname.replace(/^\//, ""));
  switch (scheme) {
    case "s3": {
      requireParts(location, bucket, key, "s3://BUCKET/KEY[?lock_table=TABLE][&region=REGION]");
      const { S3Backend } = await import("./backends/s3.ts");
      return new S3Backend({ location, bucket, key, lockTable: url.searchParams.get("lock_table") ?? undefined, region: url.searchParams.get("region") ?? undefined, env });
    }
    case "gs": {
      requireParts(location, bucket, key, "gs://BUCKET/OBJECT");
      const { GcsBackend } = await import("./backends/gcs.ts");
      return new GcsBackend({ location, bucket, object: key, env });
    }
    case "azblob": {
      const slash = key.indexOf("/");
      const [container, blob] = slash > 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [key, ""];
      requireParts(location, bucket, container && blob, "azblob://ACCOUNT/CONTAINER/BLOB");
      const { AzureBlobBackend } = await import("./backends/azblob.ts");
      return new AzureBlobBackend({ location, account: bucket, container, blob, env });
    }
    default:
      throw new NicError("INPUT_INVALID", `--state ${location}: unknown scheme "${scheme}://"`, {
        details: { flag: "state", value: location },
        recovery: ["Use a file path, s3://BUCKET/KEY, gs://BUCKET/OBJECT or azblob://ACCOUNT/CONTAINER/BLOB."],
      });
  }
}

function parseUrl(location: string): URL {
  try {
    return new URL(location);
  } catch {
    throw new NicError("INPUT_INVALID", `--state ${location} is not a valid URL`, { details: { flag: "state", value: location } });
  }
}

function requireParts(location: string, first: string, second: string, shape: string): void {
  if (first && second) return;
  throw new NicError("INPUT_INVALID", `--state ${location} is incomplete; expected ${shape}`, { details: { flag: "state", value: location } });
}
