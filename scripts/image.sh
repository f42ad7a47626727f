#!/usr/bin/env bash
# make image: the container image for CI users, built without a daemon and without pulling anything.
# The root filesystem holds only the nic binary, the C libraries it links, CA certificates and a non-root user;
# umoci (Debian) turns it into an OCI image layout at dist/image/oci (tag nic:<version>) and dist/image/nic-image.tar.
# `Containerfile` builds the same root filesystem into the same image with docker or podman.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v umoci >/dev/null || { echo "make image needs umoci (apt-get install -y umoci)" >&2; exit 1; }

binary=dist/nic-linux-x64
version=$(node -p 'require("./package.json").version')
commit=$(git rev-parse --short=12 HEAD)
out=dist/image
rootfs=$out/rootfs
rm -rf "$out" dist/image/nic-image.tar
mkdir -p "$rootfs"/{usr/local/bin,etc/ssl/certs,home/nic,tmp,proc,dev}  # proc and dev: mount points a runtime fills

install -m 0755 "$binary" "$rootfs/usr/local/bin/nic"
# The libraries the binary links (Bun's compiled binaries need glibc), at the paths the loader expects.
for lib in $(ldd "$binary" | grep -oE '/[^ ]+'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnic:x:65532:65532:nic:/home/nic:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnic:x:65532:\n' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"

umoci init --layout "$out/oci"
umoci new --image "$out/oci:nic"
umoci unpack --rootless --image "$out/oci:nic" "$out/bundle" >/dev/null
cp -a "$rootfs/." "$out/bundle/rootfs/"
chown -R 65532:65532 "$out/bundle/rootfs/home/nic"
umoci repack --image "$out/oci:nic" "$out/bundle"
umoci config --image "$out/oci:nic" --tag "$version" \
  --config.entrypoint /usr/local/bin/nic --config.cmd --help \
  --config.user 65532:65532 --config.workingdir /home/nic \
  --config.env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --config.env HOME=/home/nic \
  --architecture amd64 --os linux \
  --config.label "org.opencontainers.image.title=nic" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.revision=$commit" \
  --config.label "org.opencontainers.image.source=https://github.com/nebari-dev/nebari-infrastructure-core" \
  --config.label "org.opencontainers.image.licenses=BSD-3-Clause"
umoci rm --image "$out/oci:nic"
umoci gc --layout "$out/oci"
rm -rf "$out/bundle"
tar -C "$out/oci" -cf dist/image/nic-image.tar .

layers=$(du -cb "$out"/oci/blobs/sha256/* | tail -1 | cut -f1)
echo "built image nic:$version ($commit): dist/image/oci (OCI layout), dist/image/nic-image.tar; $((layers / 1024 / 1024)) MiB compressed, rootfs $(du -sm "$rootfs" | cut -f1) MiB"
echo "load it with: podman load -i dist/image/nic-image.tar   or   skopeo copy oci-archive:dist/image/nic-image.tar docker-daemon:nic:$version"
