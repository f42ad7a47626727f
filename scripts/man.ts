// make man: one man page per command (dist/man/nic.1, nic-deploy.1, nic-state-pull.1, …), generated from the same citty
// definitions that give `--help`, so the two never disagree.
import type { ArgsDef, CommandDef } from "citty";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GLOBAL_ARGS, root } from "../src/cli/commands.ts";
import { ENVIRONMENT } from "../src/cli/help.ts";
import type { NicMeta } from "../src/cli/task.ts";
import { VERSION } from "../src/version.ts";

const OUT = process.argv[2] ?? "dist/man";
const resolve = async <T>(v: T | (() => T | Promise<T>) | Promise<T>): Promise<T> => (typeof v === "function" ? (v as () => T)() : v);
const esc = (text: string) => text.replace(/\\/g, "\\e").replace(/-/g, "\\-").replace(/^\./gm, "\\&.").replace(/^'/gm, "\\&'");

function options(args: ArgsDef): string[] {
  const lines: string[] = [];
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const aliases = [(def as { alias?: string | string[] }).alias ?? []].flat().map((a) => (a.length > 1 ? `--${a}` : `-${a}`));
    const value = def.type === "boolean" ? "" : ` ${(def as { valueHint?: string }).valueHint ?? (def.type === "enum" ? (def as { options?: string[] }).options?.join("|") : "VALUE")}`;
    const flags = [...aliases, `--${name}`].map((f) => `\\fB${esc(f)}\\fR`).join(", ");
    const fallback = def.default !== undefined && def.type !== "boolean" ? ` (default: ${def.default})` : "";
    lines.push(".TP", `${flags}${esc(value ?? "")}`, esc(`${def.description ?? ""}${fallback}`));
  }
  return lines;
}

async function page(cmd: CommandDef<any>, path: string[]): Promise<void> {
  const meta = (await resolve(cmd.meta)) as NicMeta;
  const args = ((await resolve(cmd.args)) ?? {}) as ArgsDef;
  const subs = (await resolve(cmd.subCommands)) as Record<string, unknown> | undefined;
  const name = path.join("-");
  const positionals = Object.entries(args).filter(([, d]) => d.type === "positional").map(([n, d]) => ((d as { required?: boolean }).required ? n.toUpperCase() : `[${n.toUpperCase()}]`));
  const lines = [
    `.TH ${name.toUpperCase()} 1 "" "nic ${VERSION}" "NIC manual"`,
    ".SH NAME",
    `${esc(name)} \\- ${esc(meta.description)}`,
    ".SH SYNOPSIS",
    `\\fB${path.join(" ")}\\fR ${subs ? "COMMAND " : ""}[OPTIONS] ${positionals.join(" ")}`.trimEnd(),
    ".SH DESCRIPTION",
    esc(meta.description) + ".",
  ];
  const visible: [string, CommandDef<any>][] = [];
  for (const [sub, loader] of Object.entries(subs ?? {})) {
    const child = (await resolve(loader as CommandDef<any>)) as CommandDef<any>;
    if (!((await resolve(child.meta)) as NicMeta).hidden) visible.push([sub, child]);
  }
  if (visible.length) {
    lines.push(".SH COMMANDS");
    for (const [sub, child] of visible) lines.push(".TP", `\\fB${sub}\\fR`, esc(((await resolve(child.meta)) as NicMeta).description), `See \\fB${name}-${sub}\\fR(1).`);
  }
  lines.push(".SH OPTIONS", ...options(typeof cmd.run === "function" && path.length > 1 ? { ...args, ...GLOBAL_ARGS } : args));
  if (meta.examples?.length) lines.push(".SH EXAMPLES", ...meta.examples.flatMap((e) => [".PP", ".nf", esc(e), ".fi"]));
  if (path.length === 1) {
    lines.push(".SH ENVIRONMENT", ...ENVIRONMENT.flatMap(([k, v]) => [".TP", `\\fB${esc(k)}\\fR`, esc(v)]));
    lines.push(".SH EXIT STATUS", ".TP", "0", "success", ".TP", "1", "failure", ".TP", "2", "changes or drift present (with \\-\\-detailed\\-exitcode)", ".TP", "3", "invalid input", ".TP", "4", "the state is locked by another run");
  }
  writeFileSync(join(OUT, `${name}.1`), `${lines.join("\n")}\n`);
  for (const [sub, child] of visible) await page(child, [...path, sub]);
}

mkdirSync(OUT, { recursive: true });
await page(root, ["nic"]);
console.log(`man pages written to ${OUT}/ (read one with: man -l ${OUT}/nic-deploy.1)`);
