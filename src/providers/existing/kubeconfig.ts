// Which kubeconfig file holds the kube context, as kubectl finds it: the files KUBECONFIG lists, else ~/.kube/config.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { delimiter, join, resolve } from "node:path";
import { parse } from "yaml";
import { NicError } from "../../cli/errors.ts";
import type { Env } from "../../deploy/provider.ts";

/** The kubeconfig files kubectl would merge, expanded: KUBECONFIG's entries in order, or `~/.kube/config`. */
export function kubeconfigFiles(env: Env): string[] {
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  if (listed.length) return listed.map((p) => resolve(expandHome(p, env)));
  return [join(home(env), ".kube", "config")];
}

/** The first of those files that defines the context (kubectl's merge gives the first definition precedence). */
export async function kubeconfigWithContext(env: Env, context: string): Promise<string> {
  const files = kubeconfigFiles(env);
  for (const file of files) {
    if (!existsSync(file)) continue;
    let doc: { contexts?: Array<{ name?: string }> } | null;
    try {
      doc = parse(await readFile(file, "utf8"));
    } catch (err) {
      throw new NicError("INPUT_INVALID", `The kubeconfig ${file} cannot be read while looking for kube context "${context}": ${(err as Error).message}`, {
        details: { context, kubeconfig: file },
        recovery: ["Check the file with `kubectl config view --kubeconfig <file>`."],
      });
    }
    if (doc?.contexts?.some((c) => c?.name === context)) return file;
  }
  throw new NicError("INPUT_INVALID", `The kube context "${context}" is not in ${files.join(", ")}`, {
    details: { context, kubeconfigs: files },
    recovery: [
      "List the contexts with `kubectl config get-contexts` and set kube_context to one of them.",
      "Point KUBECONFIG at the file that defines it (NIC reads KUBECONFIG, else ~/.kube/config).",
    ],
  });
}

function home(env: Env): string {
  const dir = env.HOME ?? env.USERPROFILE;
  if (!dir) throw new NicError("INPUT_INVALID", "Neither KUBECONFIG nor HOME is set, so there is no kubeconfig to read", {
    recovery: ["Set KUBECONFIG to your kubeconfig file."],
  });
  return dir;
}

const expandHome = (p: string, env: Env) => (p === "~" || p.startsWith("~/") ? join(home(env), p.slice(1)) : p);
