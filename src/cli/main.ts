// The CLI shell: global flags may stand anywhere; help is printed from the pages build.ts rendered with citty from the
// command tree, so `nic --help` loads nothing else (P1); any other command is found and run by dispatch.ts.
import { sniffFormat, splitGlobals, type Globals } from "./argv.ts";
import { writeHelp } from "./output.ts";
import { colorPossible, isTerminal, wantsColor } from "./terminal.ts";

/** Every help page ("nic", "nic deploy", "nic state pull", …) with colour, injected by build.ts; absent under `bun run`. */
declare const NIC_BUILD_HELP: Record<string, string> | undefined;

export async function main(argv: string[]): Promise<number> {
  // The format is sniffed first, so even an error in the global flags themselves is reported in the format asked for.
  let globals: Globals = { format: sniffFormat(argv), logLevel: "info", color: true, help: false };
  try {
    const split = splitGlobals(argv);
    globals = split.globals;
    let rest = split.rest;
    if (rest[0] === "help") [globals.help, rest] = [true, rest.slice(1)];
    if (rest[0] === "--version" || rest[0] === "-v") rest = ["version", ...rest.slice(1)];
    const page = prebuiltHelp(globals, rest);
    if (page !== undefined) {
      const color = globals.color && colorPossible() && wantsColor(process.env, isTerminal(1));
      writeHelp(color ? page : page.replace(/\x1b\[[0-9;]*m/g, ""));
      return 0;
    }
    const { dispatch } = await import("./dispatch.ts");
    return await dispatch(globals, rest);
  } catch (thrown) {
    const { reportError } = await import("./dispatch.ts");
    return reportError(thrown, globals);
  }
}

/** The built page for `nic [WORDS…] --help` (or a bare `nic`), when the words name a command exactly. */
function prebuiltHelp(globals: Globals, rest: string[]): string | undefined {
  if (typeof NIC_BUILD_HELP === "undefined") return undefined;
  if (!globals.help && !(rest.length === 0 && globals.format === "text")) return undefined;
  const end = rest.findIndex((word) => word.startsWith("-"));
  return NIC_BUILD_HELP[["nic", ...rest.slice(0, end === -1 ? undefined : end)].join(" ")];
}
