#!/bin/sh
# Run the whole Atoll test suite and print the closing tally line.
#
# Every test program prints one line per case: "PASS: name",
# "FAIL: name: reason" or "SKIP: name: reason", and exits non-zero if
# anything failed. A program that exits non-zero without printing a FAIL
# line (a crash) counts as one failure.
set -u
cd "$(dirname "$0")/.."
log=build/tests/log
mkdir -p "$log"
pass=0 fail=0 skip=0

run_one() { # NAME COMMAND...
    name=$1; shift
    out="$log/$(echo "$name" | tr '/ ' '__').out"
    echo "== $name"
    t0=$(date +%s)
    "$@" >"$out" 2>&1
    rc=$?
    secs=$(($(date +%s) - t0))
    grep -E '^(PASS|FAIL|SKIP): ' "$out" | sed 's/^/   /'
    p=$(grep -c '^PASS: ' "$out"); f=$(grep -c '^FAIL: ' "$out")
    s=$(grep -c '^SKIP: ' "$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "   FAIL: $name: exited with status $rc without a FAIL line"
        tail -n 5 "$out" | sed 's/^/      | /'
        f=1
    fi
    [ "$secs" -ge 5 ] && echo "   ($name took $secs s)"
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}

for t in build/tests/unit/*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    run_one "unit/$(basename "$t")" "$t"
done
for s in tests/*/run.sh; do
    [ -f "$s" ] || continue
    run_one "$(dirname "$s" | sed 's|^tests/||')" sh "$s"
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
