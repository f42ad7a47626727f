#!/usr/bin/env bash
# make image-check: runs the image built by `make image` the way a container runtime would, without a daemon:
# unpacks it with umoci, mounts /proc and /dev into it, and runs `nic version` and `nic validate` as the image's user
# (chroot needs root). Also checks the image's metadata and that it carries no shell and no package manager.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p 'require("./package.json").version')
work=$(mktemp -d)
root=$work/bundle/rootfs
cleanup() { umount "$root/proc" "$root/dev" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

umoci unpack --image "dist/image/oci:$version" "$work/bundle" >/dev/null
node -e '
  const c = require(process.argv[1]);
  const want = { user: "65532:65532", args: "/usr/local/bin/nic --help" };
  const got = { user: `${c.process.user.uid}:${c.process.user.gid}`, args: c.process.args.join(" ") };
  for (const k of Object.keys(want)) if (want[k] !== got[k]) { console.error(`image ${k}: ${got[k]}, expected ${want[k]}`); process.exit(1); }
  const labels = c.annotations ?? {};
  for (const k of ["org.opencontainers.image.version", "org.opencontainers.image.revision", "org.opencontainers.image.source"])
    if (!labels[k]) { console.error(`image label ${k} missing`); process.exit(1); }
  console.log(`user ${got.user}, entrypoint ${got.args}, version ${labels["org.opencontainers.image.version"]}, revision ${labels["org.opencontainers.image.revision"]}`);
' "$work/bundle/config.json"
for absent in bin/sh bin/bash usr/bin/apt usr/bin/dpkg; do
  if [ -e "$root/$absent" ]; then echo "the image carries /$absent" >&2; exit 1; fi
done

echo "image size: $(du -cb dist/image/oci/blobs/sha256/* | tail -1 | cut -f1) bytes compressed, $(du -sb "$root" | cut -f1) bytes unpacked"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp fixtures/configs/demo-aws.yaml "$root/tmp/nebari-config.yaml"
chroot --userspec=65532:65532 "$root" /usr/local/bin/nic version
chroot --userspec=65532:65532 "$root" /usr/local/bin/nic validate -f /tmp/nebari-config.yaml --format json > "$work/validate.json"
node -e 'const d = require(process.argv[1]); if (d.success !== true || d.valid !== true) process.exit(1); console.log(`nic validate inside the image: valid (${d.provider}, ${d.cluster_name})`)' "$work/validate.json"
