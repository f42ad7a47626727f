// nebari-config.yaml → NebariConfig: read, parse, apply NEBARI_SECRET__ overrides, normalise every section, report all problems at once.
import { NicError } from "../cli/errors.ts";
import { closest } from "../cli/suggest.ts";
import { INTERPRETED_KEYS, LEGACY_KEYS, PASS_THROUGH_KEYS } from "./keys.ts";
import type { NebariConfig, Note, StorageType } from "./model.ts";
import { clusterName, escapedProjectName } from "./names.ts";
import { Problems, describe, dotted, quote, type Path, type Problem } from "./problems.ts";
import { awsBlock, azureBlock, gcpBlock, kubeContextBlock, providerStorage, type ProviderStorage } from "./provider-blocks.ts";
import { PROVIDER_BLOCKS, providerBlock, type ProviderName } from "./providers.ts";
import { readConfigFile } from "./read.ts";
import { checkKeys, isMapping, note, requireMapping, validateShape, warnUnexpandedPlaceholders, type Ctx, type Obj } from "./sections.ts";
import { parseYaml } from "./yaml.ts";

export interface LoadOptions {
  /** Every unknown top-level key is an error, as in Nebari. */
  strict?: boolean;
  env?: Record<string, string | undefined>;
  today?: Date;
  /** "new" when no state records the deployment: a Kubernetes version EKS no longer creates is then an error. */
  deployment?: "new" | "existing";
}

export interface LoadedConfig {
  file: string;
  config: NebariConfig;
  warnings: Problem[];
  notes: Note[];
  /** sha256 of the normalised infrastructure configuration, recorded in state. */
  hash: string;
  /** Turns a path into a problem with its line:column (for checks made after loading, such as --online). */
  problem(severity: Problem["severity"], path: Path, message: string, extra?: Pick<Problem, "hint">): Problem;
}

const PROJECT_NAME = /^[A-Za-z][A-Za-z0-9\-_]{1,14}[A-Za-z0-9]$/;
const NAMESPACE = /^[A-Za-z][A-Za-z\-_]*[A-Za-z]$/;

export function loadConfig(file: string, opts: LoadOptions = {}): LoadedConfig {
  const parsed = parseYaml(readConfigFile(file), file);
  // Aliases are renamed in the data; positions are looked up under the key as written.
  const writtenAs = new Map<string, string>();
  const asWritten = (path: Path): Path => path.map((part, i) => writtenAs.get(dotted(path.slice(0, i + 1))) ?? part);
  const problems = new Problems((path) => parsed.locate(asWritten(path)), opts.strict ?? false);
  const ctx: Ctx = {
    problems,
    notes: [],
    sourceText: (path) => parsed.sourceText(asWritten(path)),
    renamed: (path, alias) => writtenAs.set(dotted(path), alias),
    today: opts.today ?? new Date(),
    deployment: opts.deployment,
  };
  applyEnvOverrides(parsed.data, opts.env ?? process.env, ctx);
  const config = normalize(parsed.data, ctx, opts.strict ?? false);
  if (problems.errors.length || !config) {
    const n = problems.errors.length;
    throw new NicError("CONFIG_INVALID", `${file} is not a valid Nebari configuration (${n} error${n === 1 ? "" : "s"})`, {
      details: { file, errors: problems.errors, warnings: problems.warnings },
      recovery: ["Fix each entry of details.errors (path and line:column given), then run `nic validate -f FILE` again."],
    });
  }
  const later = new Problems((path) => parsed.locate(asWritten(path)));
  const problem: LoadedConfig["problem"] = (severity, path, message, extra) => {
    (severity === "error" ? later.error : later.warn).call(later, path, message, extra);
    return (severity === "error" ? later.errors : later.warnings).at(-1)!;
  };
  return { file, config, warnings: problems.warnings, notes: ctx.notes, hash: configurationHash(config), problem };
}

function normalize(raw: Obj, ctx: Ctx, strict: boolean): NebariConfig | undefined {
  if (isGoNicFormat(raw)) {
    ctx.problems.error(["cluster"], "this file is in the Go nebari-infrastructure-core format (a top-level `cluster:` holding the provider block); NIC reads Nebari's nebari-config.yaml", {
      hint: "Move the provider block to the top level under Nebari's name (amazon_web_services, google_cloud_platform, azure, local) and set provider:",
    });
    return undefined;
  }
  if (raw.provider === "do" || raw.provider === "digital_ocean") {
    ctx.problems.error(["provider"], `${quote(raw.provider)}: DigitalOcean support was removed from Nebari in 2024.x`, { hint: "Choose aws, gcp, azure, local or existing" });
    return undefined;
  }
  checkTopLevelKeys(raw, ctx, strict);
  const top = pick(raw, ["project_name", "namespace", "provider", "nebari_version", "prevent_deploy"]);
  if (!validateShape(top, [], "top", ctx)) return undefined;

  const project_name = top.project_name as string;
  checkProjectName(project_name, ctx);
  const namespace = (top.namespace as string | undefined) ?? "dev";
  if (!NAMESPACE.test(namespace)) {
    ctx.problems.error(["namespace"], "must be at least 2 characters of letters, '-' or '_', starting and ending with a letter (no digits)", { found: quote(namespace) });
  }
  const provider = resolveProvider(raw, top.provider as ProviderName | undefined, ctx);
  if (!provider) return undefined;
  const entry = providerBlock(provider);
  const path: Path = [entry.configKey];
  for (const key of INTERPRETED_KEYS) if (key in raw) warnUnexpandedPlaceholders(raw[key], [key], ctx);

  const rawBlock = raw[entry.configKey];
  const block = rawBlock === undefined || rawBlock === null ? (provider === "local" || provider === "existing" ? {} : undefined) : requireMapping(rawBlock, path, ctx);
  if (!block) {
    if (rawBlock === undefined || rawBlock === null) ctx.problems.error(path, `is required when provider is ${provider}`);
    return undefined;
  }
  let extraStorage: ProviderStorage | undefined;
  if ("storage" in block) {
    extraStorage = providerStorage(block.storage, [...path, "storage"], provider, ctx);
    delete block.storage;
  }
  const config: Partial<NebariConfig> = {};
  if (provider === "aws") config.amazon_web_services = awsBlock(block, path, ctx);
  if (provider === "gcp") config.google_cloud_platform = gcpBlock(block, path, ctx);
  if (provider === "azure") config.azure = azureBlock(block, path, ctx);
  if (provider === "local" || provider === "existing") config[provider] = kubeContextBlock(block, path, ctx, provider);

  const escaped = escapedProjectName(project_name, provider);
  return {
    project_name,
    namespace,
    provider,
    nebari_version: top.nebari_version === undefined ? null : String(top.nebari_version),
    prevent_deploy: (top.prevent_deploy as boolean | undefined) ?? false,
    escaped_project_name: escaped,
    cluster_name: clusterName(escaped, namespace),
    storage: storageSection(raw.storage, provider, extraStorage, ctx),
    terraform_state: terraformStateSection(raw.terraform_state, ctx),
    external_container_reg: externalRegistrySection(raw.external_container_reg, ctx),
    ...config,
    ...ciCdSection(raw.ci_cd, ctx),
  };
}

function checkTopLevelKeys(raw: Obj, ctx: Ctx, strict: boolean) {
  for (const key of Object.keys(raw)) {
    if (INTERPRETED_KEYS.includes(key) || PASS_THROUGH_KEYS.includes(key)) continue;
    const legacy = LEGACY_KEYS[key];
    if (legacy) {
      if (strict) ctx.problems.error([key], `is a legacy key Nebari rejects: ${legacy.why}`, { hint: legacy.hint });
      else ctx.problems.warn([key], `is a legacy key: ${legacy.why}; NIC ignores it, Nebari rejects it`, { hint: legacy.hint });
      continue;
    }
    const interpreted = closest(key, INTERPRETED_KEYS);
    if (interpreted) {
      ctx.problems.error([key], "is not a Nebari configuration key", { hint: `Did you mean ${interpreted}?` });
    } else if (strict) {
      ctx.problems.error([key], "is not a Nebari configuration key (extra inputs are not permitted under --strict)");
    } else {
      const known = closest(key, PASS_THROUGH_KEYS);
      ctx.problems.warn([key], "is not a key Nebari itself defines (a plugin's section or a legacy QHub key?); NIC ignores it", {
        hint: known ? `Did you mean ${known}?` : "Nebari without that plugin rejects it; --strict makes this an error",
      });
    }
  }
}

/** The Go NIC's config: `cluster: {aws: {...}}` (or `cluster: {provider: ...}`) instead of Nebari's top-level blocks. */
function isGoNicFormat(raw: Obj): boolean {
  const cluster = raw.cluster;
  return isMapping(cluster) && !PROVIDER_BLOCKS.some((p) => p.configKey in raw) && Object.keys(cluster).some((k) => ["aws", "gcp", "azure", "local", "provider", ...PROVIDER_BLOCKS.map((p) => p.configKey)].includes(k));
}

function checkProjectName(name: string, ctx: Ctx) {
  if (PROJECT_NAME.test(name)) return;
  const reasons = [
    (name.length < 3 || name.length > 16) && `is ${name.length} characters long; it must be 3 to 16`,
    !/^[A-Za-z]/.test(name) && "must start with a letter",
    !/[A-Za-z0-9]$/.test(name) && "must end with a letter or a digit",
    !/^[A-Za-z0-9\-_]*$/.test(name) && "may contain only letters, digits, '-' and '_'",
  ].filter(Boolean);
  const why = reasons.join("; ");
  ctx.problems.error(["project_name"], `project_name ${why}`, { expected: "^[A-Za-z][A-Za-z0-9\\-_]{1,14}[A-Za-z0-9]$", found: quote(name) });
}

/** Nebari's provider rules (nebari-stages.md §1.2): explicit, else inferred from the one block present, else local. */
function resolveProvider(raw: Obj, given: ProviderName | undefined, ctx: Ctx): ProviderName | undefined {
  const present = PROVIDER_BLOCKS.filter((p) => raw[p.configKey] !== undefined && raw[p.configKey] !== null);
  if (given) {
    const others = present.filter((p) => p.name !== given);
    if (others.length) ctx.problems.warn([others[0]!.configKey], `configuration for other providers (${others.map((p) => p.configKey).join(", ")}) is ignored: provider is ${given}`);
    return given;
  }
  if (present.length > 1) {
    ctx.problems.error(["provider"], `Multiple providers set: [${present.map((p) => p.configKey).join(", ")}]; set provider explicitly`);
    return undefined;
  }
  const inferred = present[0]?.name ?? "local";
  note(ctx, ["provider"], present.length ? `not set; inferred ${inferred} from the ${present[0]!.configKey} block` : "not set; defaults to local");
  return inferred;
}

function storageSection(raw: unknown, provider: ProviderName, extra: ProviderStorage | undefined, ctx: Ctx): NebariConfig["storage"] {
  const section = raw === undefined || raw === null ? {} : requireMapping(raw, ["storage"], ctx) ?? {};
  checkKeys(section, ["storage"], "storage", ctx);
  validateShape(section, ["storage"], "storage", ctx);
  let type = (section.type as StorageType | null | undefined) ?? undefined;
  if (extra) {
    if (type && type !== extra.type) ctx.problems.error(["storage", "type"], `is ${type}, but the provider block's storage means ${extra.type}`);
    type ??= extra.type;
  }
  type ??= provider === "aws" ? "efs" : "nfs";
  if (type === "efs" && provider !== "aws") ctx.problems.error(["storage", "type"], "efs is only available with provider aws");
  if (type === "cephfs" && provider === "local") ctx.problems.error(["storage", "type"], "cephfs is not supported with provider local");
  return {
    type,
    conda_store: (section.conda_store as string | undefined) ?? "200Gi",
    shared_filesystem: (section.shared_filesystem as string | undefined) ?? extra?.shared_filesystem ?? "200Gi",
  };
}

function terraformStateSection(raw: unknown, ctx: Ctx): NebariConfig["terraform_state"] {
  const section = raw === undefined || raw === null ? {} : requireMapping(raw, ["terraform_state"], ctx) ?? {};
  checkKeys(section, ["terraform_state"], "terraform_state", ctx);
  validateShape(section, ["terraform_state"], "terraform_state", ctx);
  return {
    type: (section.type as NebariConfig["terraform_state"]["type"] | undefined) ?? "remote",
    backend: (section.backend as string | null | undefined) ?? null,
    config: (section.config as Record<string, string> | undefined) ?? {},
  };
}

function externalRegistrySection(raw: unknown, ctx: Ctx): NebariConfig["external_container_reg"] {
  const path = ["external_container_reg"];
  const section = raw === undefined || raw === null ? {} : requireMapping(raw, path, ctx) ?? {};
  checkKeys(section, path, "external_container_reg", ctx);
  validateShape(section, path, "external_container_reg", ctx);
  const fields = ["access_key_id", "secret_access_key", "extcr_account", "extcr_region"] as const;
  const enabled = (section.enabled as boolean | undefined) ?? false;
  if (enabled) {
    for (const f of fields) {
      const v = section[f];
      if (typeof v !== "string" || !v.trim()) ctx.problems.error([...path, f], "must be set when external_container_reg.enabled is true", { found: describe(v) });
    }
  }
  const value = (f: (typeof fields)[number]) => (section[f] as string | null | undefined) ?? null;
  return { enabled, access_key_id: value("access_key_id"), secret_access_key: value("secret_access_key"), extcr_account: value("extcr_account"), extcr_region: value("extcr_region") };
}

/** Nebari's bootstrap stage rejects a bad ci_cd before stage 02 runs; NIC checks it and otherwise leaves it alone. */
function ciCdSection(raw: unknown, ctx: Ctx): object {
  if (raw === undefined) return {};
  if (typeof raw === "string") {
    ctx.problems.error(["ci_cd"], "must be a mapping; a bare string is the QHub-era form", {
      found: describe(raw),
      hint: `Write ci_cd: {type: ${/^(github-actions|gitlab-ci|none)$/.test(raw) ? raw : "github-actions"}, branch: main} (\`nebari upgrade\` rewrites it)`,
    });
    return {};
  }
  const section = requireMapping(raw, ["ci_cd"], ctx);
  if (section) validateShape(section, ["ci_cd"], "ci_cd", ctx);
  return {};
}

/**
 * NEBARI_SECRET__a__b=value sets a.b, as Nebari does. The value stays a string unless the file holds a number or boolean there.
 * Values are never logged: these variables carry secrets.
 */
function applyEnvOverrides(data: Obj, env: Record<string, string | undefined>, ctx: Ctx) {
  const prefix = "NEBARI_SECRET__";
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || value === undefined) continue;
    const keys = name.slice(prefix.length).split("__").filter(Boolean);
    if (!keys.length) continue;
    let target: Obj = data;
    for (const key of keys.slice(0, -1)) {
      if (!isMapping(target[key])) target[key] = {};
      target = target[key] as Obj;
    }
    const last = keys[keys.length - 1]!;
    const current = target[last];
    target[last] = typeof current === "number" && Number.isFinite(Number(value)) ? Number(value) : typeof current === "boolean" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : value;
    note(ctx, keys, `set from the environment variable ${name}`);
  }
}

function pick(obj: Obj, keys: string[]): Obj {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));
}

/** Bun's own hasher: loading node:crypto (and the streams it pulls in) would cost validate ~10 ms of start-up (P2). */
export function configurationHash(config: NebariConfig): string {
  return `sha256:${new Bun.CryptoHasher("sha256").update(stableStringify(config)).digest("hex")}`;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (isMapping(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(",")}}`;
  return JSON.stringify(value) ?? "null";
}
