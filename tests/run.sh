#!/bin/sh
# Run the whole Atoll test suite and print the closing tally line.
#
# Every test program prints one line per case: "PASS: name",
# "FAIL: name: reason" or "SKIP: name: reason", and exits non-zero if
# anything failed. Besides its own FAIL lines, a program counts as one
# failure when it exits non-zero without a FAIL line (a crash), when it
# prints no PASS/FAIL/SKIP line at all (a test that tested nothing), and
# when it runs past its time limit (then it is killed).
#
#   B=DIR                 the build to test (default build): the unit
#                         programs in DIR/tests/unit, logs in DIR/tests/log;
#                         exported, so every group tests that build
#   TEST_TIMEOUT_UNIT=S   limit of each unit program (default 120 s)
#   TEST_TIMEOUT_GROUP=S  limit of each group, tests/*/run.sh (default
#                         600 s; hvt 1200 s: it may boot a VM for up to
#                         900 s; the fuzz groups 10 x FUZZ_SECONDS more)
#   TEST_TIMEOUT_<group>=S  one group's limit ("-" as "_": TEST_TIMEOUT_fuzz_net)
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
export B
log=$B/tests/log
mkdir -p "$log"
unit_limit=${TEST_TIMEOUT_UNIT:-120}
group_limit=${TEST_TIMEOUT_GROUP:-600}
pass=0 fail=0 skip=0 failed=""

# limit_of GROUP: the group's time limit in seconds
limit_of() {
    v=TEST_TIMEOUT_$(echo "$1" | tr -c 'A-Za-z0-9\n' '_')
    eval "l=\${$v:-}"
    if [ -n "$l" ]; then
        echo "$l"
        return
    fi
    case $1 in
    hvt) echo $((group_limit > 1200 ? group_limit : 1200)) ;;
    fuzz*) echo $((group_limit + 10 * ${FUZZ_SECONDS:-0})) ;;
    *) echo "$group_limit" ;;
    esac
}

# run_one NAME LIMIT COMMAND...: run COMMAND for at most LIMIT seconds, show
# its PASS/FAIL/SKIP lines and add them to the tally.
run_one() {
    name=$1 limit=$2
    shift 2
    out="$log/$(echo "$name" | tr '/ ' '__').out"
    echo "== $name"
    t0=$(date +%s)
    # timeout runs the program in a process group of its own and kills the
    # whole group (tenders, namespaces' helpers) at the limit.
    timeout -k 30 "$limit" "$@" >"$out" 2>&1 </dev/null
    rc=$?
    secs=$(($(date +%s) - t0))
    grep -E '^(PASS|FAIL|SKIP): ' "$out" | sed 's/^/   /'
    p=$(grep -c '^PASS: ' "$out"); f=$(grep -c '^FAIL: ' "$out")
    s=$(grep -c '^SKIP: ' "$out")
    if [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && [ "$secs" -ge "$limit" ]; }
    then
        echo "   FAIL: $name: still running after its limit of $limit s," \
            "killed (see $out)"
        tail -n 5 "$out" | sed 's/^/      | /'
        f=$((f + 1))
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "   FAIL: $name: exited with status $rc without a FAIL line"
        tail -n 5 "$out" | sed 's/^/      | /'
        f=1
    elif [ $((p + f + s)) -eq 0 ]; then
        echo "   FAIL: $name: printed no PASS/FAIL/SKIP line (exit status $rc)"
        tail -n 5 "$out" | sed 's/^/      | /'
        f=1
    fi
    case $name in
    unit/*) [ "$secs" -ge 5 ] && echo "   ($name took $secs s)" ;;
    *) echo "   -- $name: $p passed, $f failed, $s skipped in $secs s" ;;
    esac
    [ "$f" -gt 0 ] && failed="$failed $name"
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}

for t in "$B"/tests/unit/*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    run_one "unit/$(basename "$t")" "$unit_limit" "$t"
done
for s in tests/*/run.sh; do
    [ -f "$s" ] || continue
    g=$(dirname "$s" | sed 's|^tests/||')
    run_one "$g" "$(limit_of "$g")" sh "$s"
done

[ -n "$failed" ] && echo "== failures in:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
