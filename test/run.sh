#!/usr/bin/env bash
# Runs the whole test suite and prints the line CI reads: "N passed, N failed".
# A non-zero bun exit with "0 fail" (a file that failed to load) still counts as a failure.
set -u
cd "$(dirname "$0")/.."
bun=node_modules/.bin/bun
log=$(mktemp)
"$bun" test --isolate --timeout 120000 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
pass=$(grep -E '^ *[0-9]+ pass$' "$log" | tail -1 | tr -dc 0-9)
fail=$(grep -E '^ *[0-9]+ fail$' "$log" | tail -1 | tr -dc 0-9)
if [ "$rc" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then fail=1; fi
rm -f "$log"
echo "${pass:-0} passed, ${fail:-0} failed"
exit "$rc"
