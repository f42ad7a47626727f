// Folders NIC creates hold state, outputs and kubeconfigs: 0700 whatever the umask (mkdir's mode is masked by it).
import { chmod, mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/** mkdir -p, then 0700 on every folder it made (and only those: an existing folder keeps the mode its owner chose). */
export async function makeFolder(path: string): Promise<void> {
  const first = await mkdir(path, { recursive: true, mode: 0o700 });
  if (!first) return;
  for (let folder = path; ; folder = dirname(folder)) {
    await chmod(folder, 0o700);
    if (folder === first || dirname(folder) === folder) return;
  }
}
