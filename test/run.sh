#!/usr/bin/env bash
# Runs the whole test suite and prints the line CI reads: "N passed, N failed".
# bun runs test/; pytest (Debian's python3-pytest) runs the Python adapter's tests in integrations/python against dist/nic.
# Arguments narrow the bun run to those files and skip the Python tests.
# A non-zero exit with "0 fail" (a file that failed to load, a missing pytest) still counts as a failure.
set -u
cd "$(dirname "$0")/.."
bun=node_modules/.bin/bun
log=$(mktemp)
"$bun" test --isolate --timeout 120000 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
pass=$(grep -E '^ *[0-9]+ pass$' "$log" | tail -1 | tr -dc 0-9)
fail=$(grep -E '^ *[0-9]+ fail$' "$log" | tail -1 | tr -dc 0-9)
pass=${pass:-0} fail=${fail:-0}
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi

if [ $# -eq 0 ]; then
  if command -v pytest-3 >/dev/null; then
    pytest-3 -q -p no:cacheprovider integrations/python 2>&1 | tee "$log"
    prc=${PIPESTATUS[0]}
    summary=$(tail -1 "$log")
    count() { local n; n=$(echo "$summary" | grep -oE "[0-9]+ $1" | tr -dc 0-9); echo "${n:-0}"; }
    pass=$((pass + $(count passed)))
    pyfail=$(( $(count failed) + $(count error) ))
    if [ "$prc" -ne 0 ] && [ "$pyfail" -eq 0 ]; then pyfail=1; fi
  else
    echo "pytest-3 is missing (apt-get install python3-pytest): the Python adapter's tests did not run"
    prc=1 pyfail=1
  fi
  fail=$((fail + pyfail))
  [ "$prc" -ne 0 ] && rc=1
fi
rm -f "$log"
echo "$pass passed, $fail failed"
exit "$rc"
