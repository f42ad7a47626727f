// Compiles the nic binary. `bun build.ts` builds the host target; `bun build.ts --all` builds every release target.
// Output: dist/nic-<target>[.exe] and dist/SHA256SUMS. See bun-lab §2.4 and §7 for why each option is set.
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, readdir, rename, writeFile } from "node:fs/promises";
import { arch, platform } from "node:os";
import { lazyArkDiscriminants, lazyArkJsonIntrinsics } from "./src/config/build-plugin.ts";
import { STARTUP_JIT_POLICY } from "./src/cli/jit.ts";

const TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64"] as const;
type Target = (typeof TARGETS)[number];

function hostTarget(): Target {
  const os = platform() === "win32" ? "windows" : platform();
  const target = `${os}-${arch()}` as Target;
  if (!TARGETS.includes(target)) throw new Error(`No release target for host ${target}`);
  return target;
}

function gitCommit(): string {
  const run = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { stderr: "ignore" });
  const commit = run.stdout.toString().trim();
  if (!commit) return "unknown";
  const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"]).stdout.toString().trim();
  return dirty ? `${commit}-dirty` : commit;
}

/**
 * citty imports node:util (for parseArgs) at the top, and loading node:util costs about 10 ms of a compiled binary's start-up,
 * most of the `nic --help` budget (P1). The import becomes a require on first parse, which `--help` never reaches.
 */
const lazyNodeUtilInCitty: Bun.BunPlugin = {
  name: "lazy-node-util-in-citty",
  setup(builder) {
    builder.onLoad({ filter: /citty[\\/]dist[\\/]index\.mjs$/ }, async ({ path }) => {
      const source = await Bun.file(path).text();
      const eager = 'import { parseArgs as parseArgs$1 } from "node:util";';
      if (!source.includes(eager)) throw new Error(`${path}: citty no longer imports node:util as expected; update build.ts`);
      return { contents: source.replace(eager, 'const parseArgs$1 = (...args) => import.meta.require("node:util").parseArgs(...args);'), loader: "js" };
    });
  },
};

/**
 * Every help page, rendered once here with citty from the command tree, so `nic --help` only prints (P1). citty decides
 * colour when it loads, from the environment: CI, TEST or NO_COLOR would leave the pages without it.
 */
async function helpPages(): Promise<Record<string, string>> {
  for (const name of ["CI", "TEST", "NO_COLOR"]) delete process.env[name];
  if (process.env.TERM === "dumb") process.env.TERM = "xterm";
  const { helpPages } = await import("./src/cli/help.ts");
  return helpPages();
}

async function build(target: Target, commit: string, help: Record<string, string>): Promise<string> {
  const outfile = `dist/nic-${target}${target.startsWith("windows") ? ".exe" : ""}`;
  const result = await Bun.build({
    entrypoints: ["src/main.ts"],
    target: "bun",
    format: "esm", // --bytecode needs esm (bun-lab §2.4)
    splitting: true, // lazily imported SDK chunks are not parsed at start-up
    bytecode: true,
    minify: { whitespace: true, syntax: true, identifiers: false }, // keep class names for error handling
    define: { "process.env.NODE_ENV": '"production"', NIC_BUILD_COMMIT: JSON.stringify(commit), NIC_BUILD_HELP: JSON.stringify(help) },
    // JavaScriptCore's JIT thresholds 100× higher at start-up: compiling code that runs once costs more than it saves,
    // measured about a quarter of `nic validate`'s wall time and half its CPU (P2). src/cli/jit.ts restores them.
    compile: { target: `bun-${target}` as never, outfile, autoloadDotenv: false, autoloadBunfig: false, jitPolicy: STARTUP_JIT_POLICY },
    plugins: [lazyNodeUtilInCitty, lazyArkDiscriminants, lazyArkJsonIntrinsics],
  } as Bun.BuildConfig);
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`Build failed for ${target}`);
  }
  return outfile;
}

async function writeChecksums() {
  const lines: string[] = [];
  for (const name of (await readdir("dist")).sort()) {
    if (!name.startsWith("nic-")) continue;
    lines.push(`${createHash("sha256").update(await readFile(`dist/${name}`)).digest("hex")}  ${name}`);
  }
  await writeFile("dist/SHA256SUMS", `${lines.join("\n")}\n`);
}

const targets = process.argv.includes("--all") ? [...TARGETS] : [hostTarget()];
await mkdir("dist", { recursive: true });
const commit = gitCommit();
const help = await helpPages();
for (const target of targets) {
  const started = performance.now();
  const outfile = await build(target, commit, help);
  console.error(`built ${outfile} in ${Math.round(performance.now() - started)} ms`);
}
await writeChecksums();
if (!process.argv.includes("--all")) {
  // A broken bytecode build still exits 0 (bun-lab §2.4), so smoke-run what we built.
  const smoke = Bun.spawnSync([`dist/nic-${hostTarget()}`, "version"]);
  if (smoke.exitCode !== 0) throw new Error(`Smoke run of the built binary failed: ${smoke.stderr}`);
  // Copy, then rename over dist/nic: writing into a binary that is running fails with ETXTBSY, a rename does not.
  await copyFile(`dist/nic-${hostTarget()}`, "dist/.nic.tmp");
  await chmod("dist/.nic.tmp", 0o755);
  await rename("dist/.nic.tmp", "dist/nic");
}
