#!/bin/sh
# The whole tree must build warning-free (-Werror) with clang as with gcc.
# Builds everything with CC=clang into $B/clang, runs the host unit tests
# built there with B=$B/clang (so the script-type ones, hvt-tender and
# tender_devstatus, run the clang-built tenders), and boots the clang-built
# hello on the clang-built atoll-spt.
#
# One line per unit program: PASS when it passed with no FAIL line, FAIL
# with its first FAIL line (or its status) otherwise, and each of its SKIP
# lines as a SKIP of its own ("clang-built unit/hvt-tender: ..."), but for
# hvt-tender's guest runs where /dev/kvm cannot run them: tests/hvt runs
# them in its VM, on the clang-built tender and probes.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
CB=$B/clang
log=$B/tests/clang-build.log

if ! command -v clang >/dev/null 2>&1; then
    echo "SKIP: clang build: no clang (apt-get install clang)"
    exit 0
fi
mkdir -p "$B/tests"
if make --no-print-directory -j2 B="$CB" CC=clang all test-programs \
    >"$log" 2>&1; then
    echo "PASS: clang build of every target, -Werror"
else
    echo "FAIL: clang build: $(grep -m1 -E 'error:|warning:|\*\*\*' "$log")" \
        "(see $log)"
    exit 1
fi

st=0
n=0
for t in "$CB"/tests/unit/*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    u=$(basename "$t")
    n=$((n + 1))
    tlog=$log.$u
    B=$CB timeout -k 10 "${TEST_TIMEOUT_UNIT:-120}" "$t" >"$tlog" 2>&1 \
        </dev/null
    rc=$?
    p=$(grep -c '^PASS: ' "$tlog")
    f=$(grep -m1 '^FAIL: ' "$tlog" | sed 's/^FAIL: //')
    # Its hvt guest runs, where this KVM cannot run them, are the hvt
    # group's: it boots them in its VM with the clang-built atoll-hvt.
    [ "$u" = hvt-tender ] &&
        sed -i '/^SKIP: hvt guest runs: no usable \/dev\/kvm/d' "$tlog"
    grep '^SKIP: ' "$tlog" | sed "s|^SKIP: |SKIP: clang-built unit/$u: |"
    s=$(grep -c '^SKIP: ' "$tlog")
    if [ -n "$f" ]; then
        echo "FAIL: clang-built unit/$u: $f (see $tlog)"
        st=1
    elif [ "$rc" -eq 124 ]; then
        echo "FAIL: clang-built unit/$u: still running after its limit of" \
            "${TEST_TIMEOUT_UNIT:-120} s, killed (status $rc)"
        st=1
    elif [ "$rc" -ne 0 ]; then
        echo "FAIL: clang-built unit/$u: exit status $rc without a FAIL" \
            "line: $(tail -n 1 "$tlog" | cut -c 1-160)"
        st=1
    elif [ "$p" -eq 0 ] && [ "$s" -eq 0 ]; then
        echo "FAIL: clang-built unit/$u: printed no PASS/FAIL/SKIP line"
        st=1
    elif [ "$p" -gt 0 ]; then
        echo "PASS: clang-built unit/$u ($p passed, $s skipped)"
    fi
done
if [ "$n" -eq 0 ]; then
    echo "FAIL: clang-built unit programs: none in $CB/tests/unit"
    st=1
fi

out=$(timeout 60 "$CB/bin/atoll-spt" "$CB/examples/hello.spt" \
    --greeting=clang -- x 2>&1 </dev/null)
rc=$?
if [ "$rc" -eq 0 ] && echo "$out" | grep -q '^clang (spt target)$'; then
    echo "PASS: clang-built hello boots on clang-built atoll-spt"
else
    echo "FAIL: clang-built hello: exit status $rc: $(echo "$out" | head -n 3)"
    st=1
fi
exit $st
