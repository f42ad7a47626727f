// Terraform state format version 4, read-only: parse and validate the parts `nic import` reads, with errors that say
// exactly what is wrong (corrupt, truncated, an older format, too large) and never a partial result.
import { NicError } from "../cli/errors.ts";

/** Nebari's states are ~100 KB; anything past this is not a Nebari stage 02/03 state and is refused before parsing. */
export const MAX_TFSTATE_BYTES = 64 * 1024 * 1024;

export type IndexKey = number | string;

export interface TerraformInstance {
  index_key?: IndexKey;
  /** "tainted": Terraform would replace it on the next apply. */
  status?: string;
  /** Set on an old object of a create-before-destroy replacement that Terraform has yet to delete. */
  deposed?: string;
  schema_version: number;
  attributes: Record<string, unknown>;
  dependencies?: string[];
}

export interface TerraformResource {
  mode: "managed" | "data";
  /** `module.network[0]`, `module.kubernetes`; absent at the root. */
  module?: string;
  type: string;
  name: string;
  provider: string;
  instances: TerraformInstance[];
}

export interface TerraformOutput {
  value: unknown;
  type?: unknown;
  sensitive?: boolean;
}

export interface TerraformState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, TerraformOutput>;
  resources: TerraformResource[];
}

/** A state as read: where from, and its bytes' size (for the report). */
export interface LoadedTerraformState {
  location: string;
  bytes: number;
  state: TerraformState;
}

/** The full Terraform address of one instance: `module.network[0].aws_subnet.main[1]`, `data.aws_partition.current`. */
export function instanceAddress(r: TerraformResource, key: IndexKey | undefined): string {
  const base = `${r.module ? `${r.module}.` : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
  return key === undefined ? base : `${base}[${typeof key === "number" ? key : JSON.stringify(key)}]`;
}

export function parseTerraformState(text: string, source: string): TerraformState {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_TFSTATE_BYTES) throw tooLarge(source, bytes);
  if (text.trim() === "") throw invalid(source, "the file is empty", ["Check the path: an empty file is not a Terraform state."]);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const truncated = /end of (JSON )?input|unterminated|unexpected end/i.test((err as Error).message);
    throw invalid(source, truncated ? "the JSON ends early (the file looks truncated)" : `it is not JSON (${(err as Error).message})`, [
      "Fetch the state again with `terraform state pull > terraform.tfstate` in the stage folder, then rerun.",
    ]);
  }
  if (!isObject(doc)) throw invalid(source, "the document is not a JSON object");
  const version = doc.version;
  if (version !== 4) {
    if (typeof version === "number" && version >= 1 && version < 4) {
      throw new NicError("TFSTATE_UNSUPPORTED_VERSION", `${source} is Terraform state format version ${version}; NIC reads version 4 (Terraform ≥ 0.12)`, {
        details: { source, version },
        recovery: ["Upgrade the state with Terraform first: run `terraform init && terraform apply -refresh-only` with Terraform ≥ 0.12 in the stage folder (a no-op apply rewrites it as version 4), then rerun `nic import`."],
      });
    }
    if (typeof version === "number") {
      throw new NicError("TFSTATE_UNSUPPORTED_VERSION", `${source} is Terraform state format version ${version}, newer than the version 4 NIC reads`, {
        details: { source, version },
        recovery: ["Check for a newer NIC release that reads this state format."],
      });
    }
    throw invalid(source, `"version" is ${JSON.stringify(version) ?? "missing"}; a Terraform state has "version": 4`);
  }
  const problems: string[] = [];
  if (typeof doc.terraform_version !== "string") problems.push("terraform_version: expected a string");
  if (!Number.isSafeInteger(doc.serial)) problems.push("serial: expected a whole number");
  if (typeof doc.lineage !== "string") problems.push("lineage: expected a string");
  const outputs = doc.outputs ?? {};
  if (!isObject(outputs)) problems.push("outputs: expected an object");
  else for (const [name, o] of Object.entries(outputs)) if (!isObject(o) || !("value" in o)) problems.push(`outputs.${name}: expected an object with "value"`);
  const resources = doc.resources ?? [];
  if (!Array.isArray(resources)) problems.push("resources: expected a list");
  else resources.forEach((r, i) => checkResource(r, `resources[${i}]`, problems));
  if (problems.length) throw invalid(source, `${problems.length} field${problems.length === 1 ? " is" : "s are"} malformed: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? "; …" : ""}`, [], { problems: problems.slice(0, 100) });
  return { version: 4, terraform_version: doc.terraform_version as string, serial: doc.serial as number, lineage: doc.lineage as string, outputs: outputs as TerraformState["outputs"], resources: resources as TerraformResource[] };
}

function checkResource(r: unknown, at: string, problems: string[]): void {
  if (!isObject(r)) return void problems.push(`${at}: expected an object`);
  if (r.mode !== "managed" && r.mode !== "data") problems.push(`${at}.mode: expected "managed" or "data"`);
  for (const field of ["type", "name", "provider"]) if (typeof r[field] !== "string" || r[field] === "") problems.push(`${at}.${field}: expected a string`);
  if (r.module !== undefined && typeof r.module !== "string") problems.push(`${at}.module: expected a string`);
  if (!Array.isArray(r.instances)) return void problems.push(`${at}.instances: expected a list`);
  r.instances.forEach((inst, j) => {
    const here = `${at}.instances[${j}]`;
    if (!isObject(inst)) return void problems.push(`${here}: expected an object`);
    if (inst.index_key !== undefined && typeof inst.index_key !== "number" && typeof inst.index_key !== "string") problems.push(`${here}.index_key: expected a number or a string`);
    if (!isObject(inst.attributes)) problems.push(`${here}.attributes: expected an object (a state written with attributes_flat is older than format 4)`);
  });
}

export function tooLarge(source: string, bytes: number): NicError {
  return new NicError("TFSTATE_INVALID", `${source} is ${Math.round(bytes / 1024 / 1024)} MiB; a Nebari stage 02/03 state is far below the ${MAX_TFSTATE_BYTES / 1024 / 1024} MiB NIC reads`, {
    details: { source, bytes, limit: MAX_TFSTATE_BYTES },
    recovery: ["Check that the path names the stage 02 or stage 03 state (stages/02-infrastructure/<provider>/terraform.tfstate)."],
  });
}

function invalid(source: string, why: string, recovery: string[] = [], details: Record<string, unknown> = {}): NicError {
  return new NicError("TFSTATE_INVALID", `${source} is not a readable Terraform state: ${why}`, {
    details: { source, ...details },
    recovery: recovery.length ? recovery : ["Check the path, or restore the state from the backend's version history (S3/GCS object versions), then rerun."],
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
