// Which kubeconfig file holds the kube context, as kubectl finds it: the files KUBECONFIG lists, else ~/.kube/config.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { delimiter, dirname, join, resolve } from "node:path";
import { parse, stringify } from "yaml";
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

/**
 * The one context of a kubeconfig as a file of its own (as `kubectl config view --minify`), current-context set, so that
 * tools that read only the current context (Nebari's checks) reach the same cluster. Relative file paths become absolute.
 */
export async function minifiedKubeconfig(file: string, context: string): Promise<string> {
  const doc = parse(await readFile(file, "utf8")) as Record<string, any>;
  const ctx = (doc.contexts ?? []).find((c: any) => c?.name === context);
  const cluster = (doc.clusters ?? []).find((c: any) => c?.name === ctx?.context?.cluster);
  const user = (doc.users ?? []).find((u: any) => u?.name === ctx?.context?.user);
  const base = dirname(file);
  const absolute = (entry: Record<string, any> | undefined, keys: string[]) => {
    if (!entry) return entry;
    const copy = structuredClone(entry);
    for (const k of keys) if (typeof copy[k] === "string") copy[k] = resolve(base, copy[k]);
    if (copy.exec?.command?.includes("/")) copy.exec.command = resolve(base, copy.exec.command);
    return copy;
  };
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": context,
    clusters: cluster ? [{ ...cluster, cluster: absolute(cluster.cluster, ["certificate-authority"]) }] : [],
    contexts: [ctx],
    users: user ? [{ ...user, user: absolute(user.user, ["client-certificate", "client-key", "tokenFile"]) }] : [],
  });
}
