#!/usr/bin/env bash
# make release-check: verifies what `make release` built. Checks SHA256SUMS and each binary's format and architecture
# (`file`), then runs the linux-arm64 binary under qemu-user-static and the Windows binary under Wine with `nic version`
# and `nic validate` of a fixture. Needs the Debian packages file, qemu-user-static, libc6:arm64 (after dpkg --add-architecture arm64), wine64 and
# gcc-mingw-w64-x86-64 (for the bcryptprimitives.dll stand-in Wine 8.0 lacks, see scripts/wine/).
set -euo pipefail
cd "$(dirname "$0")/.."
fixture=fixtures/configs/demo-aws.yaml
work=$(mktemp -d)
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT

(cd dist && sha256sum --quiet -c SHA256SUMS) && echo "SHA256SUMS: every binary matches"

expect_format() { # binary, pattern
  local what; what=$(file -b "dist/$1")
  [[ "$what" =~ $2 ]] || { echo "dist/$1 is \"$what\", expected /$2/" >&2; exit 1; }
  echo "$1: ${what%%,*}, $(echo "$what" | grep -oE 'x86-64|aarch64|arm64|x86_64' | head -1)"
}
expect_format nic-linux-x64 '^ELF 64-bit LSB .*x86-64'
expect_format nic-linux-arm64 '^ELF 64-bit LSB .*ARM aarch64'
expect_format nic-darwin-x64 '^Mach-O 64-bit x86_64 executable'
expect_format nic-darwin-arm64 '^Mach-O 64-bit arm64 executable'
expect_format nic-windows-x64.exe '^PE32\+ executable \(console\) x86-64'

valid() { grep -q '"valid": true' || { echo "$1: nic validate did not report a valid configuration" >&2; exit 1; }; }

qemu-aarch64-static -L / dist/nic-linux-arm64 version | head -1
qemu-aarch64-static -L / dist/nic-linux-arm64 validate -f "$fixture" --format json | valid linux-arm64
echo "linux-arm64 under qemu-user-static: version and validate ok"

x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" scripts/wine/bcryptprimitives.c -ladvapi32
cp dist/nic-windows-x64.exe "$fixture" "$work/"
export WINEPREFIX="$work/wine" WINEDEBUG=-all
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
"$wine" wineboot --init >/dev/null 2>&1 || true # creates the prefix, noisily
(cd "$work" && "$wine" nic-windows-x64.exe version | head -1)
(cd "$work" && "$wine" nic-windows-x64.exe validate -f demo-aws.yaml --format json) | valid windows-x64
echo "windows-x64 under Wine: version and validate ok"
