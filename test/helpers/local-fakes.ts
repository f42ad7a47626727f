// Fake `kind` and `docker` command-line tools for provider: local tests: each records its argv and answers from files in
// its folder, so tests can check the exact commands and files NIC produces (no Docker daemon on this machine).
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface FakeTools {
  /** Put first on PATH. */
  bin: string;
  /** Every call so far, as `tool arg arg …`. */
  calls(): Promise<string[]>;
  /** The kind configuration files `kind create cluster --config` received, in order. */
  kindConfigs(): Promise<string[]>;
  /** Clusters `kind get clusters` lists. */
  setClusters(names: string[]): Promise<void>;
  /** Makes docker answer as a client whose daemon is not running. */
  stopDaemon(): Promise<void>;
  clusters(): Promise<string[]>;
}

const KIND = `#!/bin/sh
# Fake kind: records argv, keeps its clusters in a file, prints the kubeconfig it was given.
dir=$(dirname "$0")/..
echo "kind $*" >> "$dir/calls"
case "$1 $2" in
  "get clusters") [ -s "$dir/clusters" ] && cat "$dir/clusters" || echo "No kind clusters found." >&2 ;;
  "get kubeconfig") cat "$dir/kubeconfig" ;;
  "create cluster")
    while [ $# -gt 0 ]; do case "$1" in --config) cat "$2" >> "$dir/kind-configs"; echo "---end---" >> "$dir/kind-configs"; shift ;; --name) name=$2; shift ;; esac; shift; done
    echo "$name" >> "$dir/clusters" ;;
  "delete cluster") grep -v '^test-cluster$' "$dir/clusters" > "$dir/clusters.new"; mv "$dir/clusters.new" "$dir/clusters" ;;
  *) echo "fake kind: unexpected $*" >&2; exit 64 ;;
esac
`;

const DOCKER = `#!/bin/sh
# Fake docker: records argv; answers as a running daemon unless daemon-down exists (then as this machine's real client does);
# \`network inspect kind\` prints network.json when there is one.
dir=$(dirname "$0")/..
echo "docker $*" >> "$dir/calls"
if [ -f "$dir/daemon-down" ]; then echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1; fi
if [ "$1" = version ]; then echo "27.5.1"; exit 0; fi
if [ "$1 $2 $3" = "network inspect kind" ] && [ -f "$dir/network.json" ]; then cat "$dir/network.json"; exit 0; fi
echo "Error response from daemon: network kind not found" >&2
exit 1
`;

/** `kubeconfig`: what `kind get kubeconfig` prints; `network`: what `docker network inspect kind` prints (absent: no network). */
export async function fakeTools(dir: string, opts: { kubeconfig: string; network?: unknown; tools?: Array<"kind" | "docker"> }): Promise<FakeTools> {
  const bin = join(dir, "bin");
  await mkdir(bin, { recursive: true });
  for (const [tool, script] of [["kind", KIND], ["docker", DOCKER]] as const) {
    if (opts.tools && !opts.tools.includes(tool)) continue;
    await writeFile(join(bin, tool), script);
    await chmod(join(bin, tool), 0o755);
  }
  await writeFile(join(dir, "kubeconfig"), opts.kubeconfig);
  await writeFile(join(dir, "calls"), "");
  await writeFile(join(dir, "clusters"), "");
  if (opts.network !== undefined) await writeFile(join(dir, "network.json"), JSON.stringify(opts.network));
  const lines = async (name: string) => (await readFile(join(dir, name), "utf8").catch(() => "")).split("\n").filter(Boolean);
  return {
    bin,
    calls: () => lines("calls"),
    kindConfigs: async () => (await readFile(join(dir, "kind-configs"), "utf8").catch(() => "")).split("---end---\n").filter(Boolean),
    setClusters: (names) => writeFile(join(dir, "clusters"), names.map((n) => `${n}\n`).join("")),
    stopDaemon: () => writeFile(join(dir, "daemon-down"), ""),
    clusters: () => lines("clusters"),
  };
}

/** A kind network as `docker network inspect kind` prints it for a cluster kind created (IPv4, then IPv6). */
export const KIND_NETWORK = [{
  Name: "kind",
  Driver: "bridge",
  EnableIPv6: true,
  IPAM: { Driver: "default", Options: {}, Config: [{ Subnet: "172.18.0.0/16", Gateway: "172.18.0.1" }, { Subnet: "fc00:f853:ccd:e793::/64", Gateway: "fc00:f853:ccd:e793::1" }] },
}];

/** A PATH folder with only the utilities the fakes and the sandbox's credential plugin use (this machine has a docker client). */
export async function basicTools(dir: string): Promise<string> {
  const { symlink } = await import("node:fs/promises");
  const folder = join(dir, "basic-bin");
  await mkdir(folder, { recursive: true });
  for (const tool of ["cat", "dirname", "grep", "mv"]) await symlink(Bun.which(tool)!, join(folder, tool)).catch(() => {});
  return folder;
}
