// The kind and docker command-line tools, the boundary of `provider: local` (as the tehcyx/kind and kreuzwerker/docker
// Terraform providers are for Nebari). Every call names the tool; a missing tool is TOOL_NOT_FOUND.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NicError } from "../../cli/errors.ts";
import type { Env } from "../../deploy/provider.ts";

export type Tool = "kind" | "docker";

const INSTALL: Record<Tool, string> = {
  kind: "Install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation) and make sure it is on PATH.",
  docker: "Install Docker (Debian: apt-get install docker.io) and start its daemon; kind runs its nodes as containers.",
};

/** Every tool that is missing from PATH, all named at once. */
export function requireTools(env: Env, tools: Tool[], why: string): void {
  const missing = tools.filter((t) => !Bun.which(t, { PATH: env.PATH ?? "" }));
  if (!missing.length) return;
  throw new NicError("TOOL_NOT_FOUND", `${why} needs ${missing.join(" and ")}, which ${missing.length > 1 ? "are" : "is"} not on PATH`, {
    details: { missing, path: env.PATH ?? "" },
    recovery: [...missing.map((t) => INSTALL[t]), "Or set local.kube_context to use a cluster you already have (k3s, minikube, Docker Desktop, kind)."],
  });
}

/** kind runs its nodes as docker containers: the docker daemon must answer, not only its client be installed. */
export async function requireDockerDaemon(env: Env, signal?: AbortSignal): Promise<void> {
  try {
    await run(env, "docker", ["version", "--format", "{{.Server.Version}}"], signal);
  } catch (err) {
    if (!(err instanceof ToolError)) throw err;
    throw new NicError("TOOL_NOT_FOUND", `docker is installed but its daemon does not answer: ${err.stderr.split("\n").pop() || `exit ${err.exitCode}`}`, {
      details: { missing: ["docker daemon"], command: "docker version", stderr: err.stderr },
      recovery: [
        "Start the Docker daemon (e.g. `systemctl start docker`) and make sure your user may use it (the docker group).",
        "Or set local.kube_context to use a cluster you already have (k3s, minikube, Docker Desktop, kind).",
      ],
    });
  }
}

/** Runs the tool; a non-zero exit is an error carrying its stderr. */
export async function run(env: Env, tool: Tool, args: string[], signal?: AbortSignal): Promise<string> {
  const path = Bun.which(tool, { PATH: env.PATH ?? "" });
  if (!path) requireTools(env, [tool], `\`${tool} ${args[0] ?? ""}\``);
  const proc = Bun.spawn([path!, ...args], { env: env as Record<string, string>, stdin: "ignore", stdout: "pipe", stderr: "pipe", signal });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new ToolError(tool, args, code, stderr.trim());
  return stdout;
}

export class ToolError extends Error {
  constructor(readonly tool: Tool, readonly args: string[], readonly exitCode: number, readonly stderr: string) {
    super(`\`${tool} ${args.join(" ")}\` failed (exit ${exitCode}): ${stderr.slice(-500) || "no output"}`);
    this.name = "ToolError";
  }
}

/** Writes `text` to a private temporary file for the duration of `use`. */
export async function withTempFile<T>(name: string, text: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "nic-local-"));
  try {
    const path = join(dir, name);
    await writeFile(path, text, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
