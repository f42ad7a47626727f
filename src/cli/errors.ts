// Every failure NIC reports is a NicError with a stable code. This table is the only place that maps codes to exit codes.

export const ExitCode = {
  Success: 0,
  Failed: 1,
  ChangesPresent: 2,
  InvalidInput: 3,
  StateLocked: 4,
  /** The first Ctrl-C (SIGINT) or SIGTERM: the run stopped at a safe point (128 + SIGINT, as shells report it). */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const ERROR_CODES = {
  INPUT_INVALID: { exit: ExitCode.InvalidInput, meaning: "A flag or argument is unknown, missing or malformed." },
  CONFIG_NOT_FOUND: { exit: ExitCode.InvalidInput, meaning: "The configuration file does not exist." },
  CONFIG_UNREADABLE: { exit: ExitCode.InvalidInput, meaning: "The configuration path cannot be read as a file (permissions, a directory, a FIFO, too large)." },
  CONFIG_INVALID: { exit: ExitCode.InvalidInput, meaning: "The configuration breaks the Nebari schema; every problem is listed in details.errors." },
  STATE_LOCKED: { exit: ExitCode.StateLocked, meaning: "Another NIC run holds the state lock; details.lock names the holder." },
  STATE_INVALID: { exit: ExitCode.InvalidInput, meaning: "A state document is not valid NIC state (corrupt, truncated, unknown format version)." },
  STATE_CONFLICT: { exit: ExitCode.Failed, meaning: "Refused to overwrite a newer state or one of another lineage." },
  STATE_NOT_FOUND: { exit: ExitCode.Failed, meaning: "No state exists at the given location." },
  STATE_BACKEND_ERROR: { exit: ExitCode.Failed, meaning: "The state backend (file system, S3, DynamoDB, GCS, Azure Blob) failed." },
  STATE_NOT_LOCKED: { exit: ExitCode.Failed, meaning: "`nic state unlock` found no lock to break." },
  PLAN_REFUSED: { exit: ExitCode.Failed, meaning: "The plan would replace a data-bearing or identity resource; rerun with --allow-replace if intended." },
  DEPLOY_FAILED: { exit: ExitCode.Failed, meaning: "A deploy phase did not finish; details list what was done, what failed and what was skipped." },
  KUBERNETES_CONFLICT: { exit: ExitCode.Failed, meaning: "Another field manager owns Kubernetes fields NIC wants to set; rerun with --force-conflicts to take them over." },
  DEPLOY_PREVENTED: { exit: ExitCode.InvalidInput, meaning: "The configuration sets prevent_deploy: true." },
  PROVIDER_UNSUPPORTED: { exit: ExitCode.InvalidInput, meaning: "The command does not support this provider yet (`nic version` lists capabilities)." },
  TFSTATE_NOT_FOUND: { exit: ExitCode.InvalidInput, meaning: "`nic import` found no Terraform state at the given or discovered locations; details.tried lists them." },
  TFSTATE_INVALID: { exit: ExitCode.InvalidInput, meaning: "A Terraform state is not readable state (corrupt, truncated, not JSON, too large); nothing was written." },
  TFSTATE_UNSUPPORTED_VERSION: { exit: ExitCode.InvalidInput, meaning: "A Terraform state has a format version other than 4; upgrade it with Terraform first." },
  TFSTATE_LOCKED: { exit: ExitCode.StateLocked, meaning: "Terraform's own lock on its state is held; details.lock names the holder. NIC never breaks it." },
  CONFIRMATION_REQUIRED: { exit: ExitCode.InvalidInput, meaning: "A command that changes the state or the cloud was not confirmed (no terminal and no --yes, or the prompt was declined); nothing was changed." },
  DESTROY_REFUSED: { exit: ExitCode.InvalidInput, meaning: "`nic destroy` was not confirmed (no terminal and no --yes, or the project name was not typed); nothing was deleted." },
  DESTROY_INCOMPLETE: { exit: ExitCode.Failed, meaning: "`nic destroy` could not delete everything; details.left lists what remains, and a rerun continues." },
  RESOURCE_NOT_OWNED: { exit: ExitCode.Failed, meaning: "Resources of this deployment exist that the state neither tracks nor was creating (another state may own them); details.found lists them. `nic import` or --adopt-existing." },
  REQUEST_TIMEOUT: { exit: ExitCode.Failed, meaning: "A cloud or Kubernetes request did not answer within --request-timeout, after its retries; details.call names it." },
  CREDENTIALS_MISSING: { exit: ExitCode.Failed, meaning: "No cloud credentials were found; details.tried lists the sources looked at, and the recovery says what to set." },
  PATH_NOT_WRITABLE: { exit: ExitCode.Failed, meaning: "A file the run will write (outputs.json, the kubeconfig, a saved plan) cannot be written; checked before any change." },
  CREDENTIALS_INVALID: { exit: ExitCode.Failed, meaning: "The cloud credentials do not answer (AWS: sts:GetCallerIdentity); checked before any change." },
  INTERRUPTED: { exit: ExitCode.Interrupted, meaning: "Ctrl-C or SIGTERM stopped the run at a safe point; the state records what finished and the lock is released. Run the command again to continue." },
  READ_FAILED: { exit: ExitCode.Failed, meaning: "NIC could not read the actual cloud or cluster (credentials, permissions, an unreachable API); details.phase names which." },
  IMPORT_NOT_READY: { exit: ExitCode.Failed, meaning: "`nic import` found blockers (missing resources, look-alikes with other IDs, changes the next deploy would make); details.blockers lists each, nothing was written. --force imports anyway and records them." },
  IMPORT_UNVERIFIED: { exit: ExitCode.Failed, meaning: "`nic import` could not verify the resources live (e.g. the cluster API was unreachable); nothing was written." },
  TOOL_NOT_FOUND: { exit: ExitCode.Failed, meaning: "A command-line tool the provider needs (kind, docker for provider: local) is not installed or does not answer; details.missing names it." },
  INTERNAL_ERROR: { exit: ExitCode.Failed, meaning: "A bug in NIC. Please report it with the log." },
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class NicError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly recovery: string[];

  constructor(code: ErrorCode, message: string, opts: { details?: Record<string, unknown>; recovery?: string[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "NicError";
    this.code = code;
    this.details = opts.details ?? {};
    this.recovery = opts.recovery ?? [];
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }
}

/** The design document's §9.5 error document. */
export function errorDocument(err: NicError) {
  return {
    success: false as const,
    error: { code: err.code, message: err.message, details: err.details, recovery_suggestions: err.recovery },
  };
}

/** Anything thrown that is not a NicError is a bug; wrap it so the protocol still holds. */
export function asNicError(err: unknown): NicError {
  if (err instanceof NicError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new NicError("INTERNAL_ERROR", `Unexpected error: ${message}`, {
    details: { stack: err instanceof Error ? err.stack?.split("\n").slice(0, 8) : undefined },
    recovery: ["Rerun with --log-level debug and report the output at https://github.com/nebari-dev/nic/issues"],
    cause: err,
  });
}
