// Help text: citty renders each command's usage from its definition; we add examples and, at the top, the
// environment variables and exit codes. The same text feeds the man pages (scripts/man.ts).
import { renderUsage, type ArgsDef, type CommandDef } from "citty";
import { GLOBAL_ARGS, root } from "./commands.ts";
import { ERROR_CODES, ExitCode } from "./errors.ts";
import type { NicMeta } from "./task.ts";

export const ENVIRONMENT: [string, string][] = [
  ["AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", "AWS credentials (the SDK's default chain: env, ~/.aws, SSO, IMDS)"],
  ["AWS_REGION, AWS_DEFAULT_REGION", "AWS region for state buckets when the URL names none"],
  ["AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>", "Send AWS calls to another endpoint (the sandbox, LocalStack)"],
  ["GOOGLE_APPLICATION_CREDENTIALS, STORAGE_EMULATOR_HOST", "Google Cloud credentials; a GCS emulator"],
  ["AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET, ARM_ACCESS_KEY, AZURE_STORAGE_*", "Azure credentials and state storage keys"],
  ["KUBECONFIG", "Kubeconfig for the existing and local providers"],
  ["NEBARI_SECRET__a__b=value", "Override config key a.b, as Nebari does"],
  ["NIC_HEARTBEAT", "Seconds between \"still creating…\" lines without a terminal (default 30)"],
  ["NIC_RECORD", "Record every cloud request to this file (for replay tests)"],
  ["NO_COLOR", "Any non-empty value turns colour off (no-color.org)"],
];

const EXAMPLES = [
  "nic validate -f nebari-config.yaml",
  "nic deploy -f nebari-config.yaml --dry-run      # the plan, like terraform plan",
  "nic deploy -f nebari-config.yaml                # asks on a terminal; --yes skips",
  "nic status --format json && nic drift detect --detailed-exitcode",
];

const EXIT_MEANINGS: Record<number, string> = {
  [ExitCode.Success]: "success",
  [ExitCode.Failed]: "failure (the error document says what and how to recover)",
  [ExitCode.ChangesPresent]: "changes or drift present (with --detailed-exitcode)",
  [ExitCode.InvalidInput]: "invalid input: flags, configuration, state file",
  [ExitCode.StateLocked]: "the state is locked by another run",
};

/** Help for a command; `path` is how it is called (["nic", "state", "pull"]). */
export async function renderHelp(cmd: CommandDef<any>, path: string[], color: boolean): Promise<string> {
  const meta = (await resolve(cmd.meta)) as Partial<NicMeta>;
  const args = ((await resolve(cmd.args)) ?? {}) as ArgsDef;
  const leaf = typeof cmd.run === "function";
  const all: ArgsDef = leaf ? { ...args, ...GLOBAL_ARGS } : args;
  // citty prints every alias with one dash; a long one (--file) is given its second dash here.
  const shown = { ...cmd, args: Object.fromEntries(Object.entries(all).map(([name, def]) => [name, { ...def, alias: longAliases(def) }])) as ArgsDef };
  const text = (await renderUsage(shown, { meta: { name: path.slice(0, -1).join(" ") } })).replace(/[ \t]+((?:\x1b\[[0-9;]*m)*)$/gm, "$1").trimEnd();
  const sections = [text];
  if (meta.examples?.length) sections.push(`EXAMPLES\n\n${meta.examples.map((e) => `  ${e}`).join("\n")}`);
  if (path.length === 1) sections.push(topLevelExtras());
  const out = `${sections.join("\n\n")}\n`;
  return color ? out : stripColor(out);
}

/** Every help page, coloured, by how it is called ("nic", "nic state pull"): build.ts puts them in the binary. */
export async function helpPages(cmd: CommandDef<any> = root, path = ["nic"]): Promise<Record<string, string>> {
  const pages: Record<string, string> = { [path.join(" ")]: await renderHelp(cmd, path, true) };
  for (const [name, sub] of Object.entries((await resolve(cmd.subCommands)) ?? {})) Object.assign(pages, await helpPages(await resolve(sub as CommandDef<any>), [...path, name]));
  return pages;
}

function topLevelExtras(): string {
  const width = Math.max(...ENVIRONMENT.map(([k]) => k.length));
  return [
    `EXAMPLES\n\n${EXAMPLES.map((e) => `  ${e}`).join("\n")}`,
    `ENVIRONMENT\n\n${ENVIRONMENT.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n")}`,
    `EXIT CODES\n\n${Object.entries(EXIT_MEANINGS).map(([code, meaning]) => `  ${code}  ${meaning}`).join("\n")}`,
    `With --format json, stdout holds one result or error document; error codes: ${Object.keys(ERROR_CODES).length} (see the README).`,
  ].join("\n\n");
}

function longAliases(def: ArgsDef[string]): string[] {
  return [(def as { alias?: string | string[] }).alias ?? []].flat().map((a) => (a.length > 1 ? `-${a}` : a));
}

export function stripColor(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

async function resolve<T>(value: T | (() => T | Promise<T>) | Promise<T> | undefined): Promise<T | undefined> {
  return typeof value === "function" ? (value as () => T)() : value;
}
